import {
  ConnectorError,
  OutboundRequest,
  PlatformConnector,
  SendResult,
  WebhookVerdict,
} from '@caredesk/channels';
import { Platform } from '@caredesk/channels';

/**
 * A test connector for the send worker, talking to test/fakes/generic-platform.ts over HTTP. It maps
 * answers to ConnectorError codes as every real connector must: 401 → AUTH_EXPIRED, 429 →
 * RATE_LIMITED (Retry-After), 5xx / timeouts / refused connections → TRANSIENT, other 4xx → REJECTED.
 * It takes over FACEBOOK_PAGE and INSTAGRAM in the worker's registry (ConnectorRegistry.override).
 */
export class GenericTestConnector implements PlatformConnector {
  readonly name = 'meta' as const;
  readonly platforms = [Platform.FACEBOOK_PAGE, Platform.INSTAGRAM];

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 1000,
  ) {}

  verifyWebhook(): WebhookVerdict {
    return { kind: 'rejected', status: 403, reason: 'test connector receives no webhooks' };
  }

  normalize(): [] {
    return [];
  }

  async send(req: OutboundRequest): Promise<SendResult> {
    if (req.action === 'HIDE' || req.action === 'UNHIDE' || req.action === 'DELETE') {
      await this.call('POST', `/v1/${req.target.externalId}/moderation`, req, { action: req.action });
      return { externalId: null };
    }
    const answer = await this.call('POST', `/v1/${req.externalAccountId}/messages`, req, {
      action: req.action,
      text: req.body,
      target: req.target.externalId ?? null,
      recipient_id: req.target.recipientId ?? null,
      idempotency_key: req.idempotencyKey,
    });
    return { externalId: String(answer.id) };
  }

  async reconcile(req: OutboundRequest): Promise<SendResult | null> {
    const q = new URLSearchParams({ idempotency_key: req.idempotencyKey });
    const answer = await this.call('GET', `/v1/${req.externalAccountId}/messages?${q}`, req);
    return answer.data?.[0] ? { externalId: String(answer.data[0].id) } : null;
  }

  private async call(method: string, path: string, req: OutboundRequest, body?: unknown): Promise<any> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${String(req.credentials.accessToken ?? '')}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new ConnectorError('TRANSIENT', `request failed: ${String(e)}`);
    }
    const payload: any = await res.json().catch(() => ({}));
    if (res.ok) return payload;
    const message = payload?.error?.message ?? `HTTP ${res.status}`;
    if (res.status === 401) throw new ConnectorError('AUTH_EXPIRED', message);
    if (res.status === 429) {
      throw new ConnectorError('RATE_LIMITED', message, Number(res.headers.get('retry-after') ?? '60'));
    }
    if (res.status >= 500) throw new ConnectorError('TRANSIENT', message);
    throw new ConnectorError('REJECTED', message);
  }
}
