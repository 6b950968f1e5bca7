import type { NormalizedEvent, PlatformConnector } from '@caredesk/channels';
import { Platform } from '@caredesk/channels';

/**
 * A connector whose "payload" is already the normalized events (as JSON), so ingest tests can script
 * any sequence without depending on a platform's wire format (each platform's own tests cover that).
 * `{ fail: "…" }` makes normalize throw. Serves platform X; installed over the real X connector with
 * the test-only ConnectorRegistry.override.
 */
export const SCRIPTED_PLATFORM = Platform.X;

export const scriptedConnector: PlatformConnector = {
  name: 'x',
  platforms: [SCRIPTED_PLATFORM],
  verifyWebhook: () => ({ kind: 'rejected', status: 401, reason: 'scripted connector takes no webhooks' }),
  normalize: ({ payload }) => {
    const p = payload as { fail?: string; events?: Array<Record<string, unknown>> };
    if (p.fail) throw new Error(p.fail);
    return (p.events ?? []).map(
      (e) => ({ ...e, occurredAt: new Date(e.occurredAt as string) }) as NormalizedEvent,
    );
  },
  send: () => Promise.reject(new Error('scripted connector sends nothing')),
};
