import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ConnectorRegistry, InboundDelivery, Platform, PlatformConnector } from '@caredesk/channels';
import { QUEUES } from '@caredesk/core';
import { TestApp } from '../support/test-app';

export const STUB_SECRET = 'pipeline-test-app-secret';
export const STUB_VERIFY_TOKEN = 'pipeline-verify-token';

/**
 * A stand-in for the Meta connector, so the intake path (controller → writer → queue) is tested on
 * its own: Meta's wire rules (X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(app secret, raw body);
 * the hub.challenge handshake; one delivery per `entry`), without Meta's normalization.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 */
export function stubMetaConnector(opts: { configured?: boolean } = {}): PlatformConnector {
  return {
    name: 'meta',
    platforms: [Platform.FACEBOOK_PAGE, Platform.INSTAGRAM],
    isConfigured: () => opts.configured ?? true,
    verifyWebhook(req) {
      if (req.method === 'GET') {
        if (req.query['hub.mode'] === 'subscribe' && req.query['hub.verify_token'] === STUB_VERIFY_TOKEN) {
          return {
            kind: 'handshake',
            status: 200,
            contentType: 'text/plain',
            body: req.query['hub.challenge'] ?? '',
          };
        }
        return { kind: 'rejected', status: 403, reason: 'verify token mismatch' };
      }
      const header = req.headers['x-hub-signature-256'] ?? '';
      const expected = Buffer.from(`sha256=${hmac(req.rawBody)}`);
      const given = Buffer.from(header);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return {
          kind: 'rejected',
          status: header ? 403 : 401,
          reason: header ? 'bad signature' : 'missing signature',
        };
      }
      const body = JSON.parse(req.rawBody.toString('utf8'));
      const deliveries: InboundDelivery[] = (body.entry ?? []).map((entry: any) => ({
        platform: body.object === 'instagram' ? Platform.INSTAGRAM : Platform.FACEBOOK_PAGE,
        externalAccountId: String(entry.id),
        eventKey:
          entry.messaging?.[0]?.message?.mid ??
          createHash('sha256').update(JSON.stringify(entry)).digest('hex'),
        payload: entry,
      }));
      return { kind: 'accepted', deliveries };
    },
    normalize: () => [],
    send: async () => ({ externalId: null }),
  };
}

/**
 * Serves `connector` for its name in this test app only, whatever the real connector modules
 * registered (they are built in parallel and may or may not be present).
 */
export function useConnector(t: TestApp, connector: PlatformConnector): () => void {
  const registry = t.app.get(ConnectorRegistry);
  // Layered by hand (not jest.spyOn, which would hand back the same spy and restore all layers at once).
  const previous = registry.forWebhook;
  registry.forWebhook = (name: string) =>
    name === connector.name ? connector : previous.call(registry, name);
  return () => {
    registry.forWebhook = previous;
  };
}

export function hmac(body: Buffer | string): string {
  return createHmac('sha256', STUB_SECRET).update(body).digest('hex');
}

let mid = 0;
/** A Messenger text message entry, shaped as in Meta's Messenger Platform webhook reference. */
export function messengerEntry(pageId: string, text = 'Hello, my order is late') {
  const n = ++mid;
  const now = Date.now();
  return {
    id: pageId,
    time: now,
    messaging: [
      {
        sender: { id: `PSID-${process.pid}-${n}` },
        recipient: { id: pageId },
        timestamp: now,
        message: { mid: `m_${process.pid}_${now.toString(36)}_${n}`, text },
      },
    ],
  };
}

export function metaBody(entries: unknown[]): string {
  return JSON.stringify({ object: 'page', entry: entries });
}

/** POSTs a body to /webhooks/<name>, signed with the stub secret unless `signature` is given. */
export function postWebhook(
  t: TestApp,
  body: string,
  opts: { name?: string; signature?: string | null; contentType?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
  if (opts.signature !== null) headers['x-hub-signature-256'] = opts.signature ?? `sha256=${hmac(body)}`;
  return fetch(`${t.baseUrl}/webhooks/${opts.name ?? 'meta'}`, { method: 'POST', headers, body });
}

/** A counter's value from /metrics (0 when the series does not exist yet). */
export async function metricValue(t: TestApp, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelPart = line.slice(name.length + 1, line.lastIndexOf('}'));
    const have = labelPart.split(',');
    if (want.every((w) => have.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

export function ingestQueue(t: TestApp): Queue<{ agencyId: string; eventId: string }> {
  return t.app.get(getQueueToken(QUEUES.INGEST), { strict: false });
}
