import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { PlatformsConfig } from '@caredesk/core';
import { Platform } from '../../platform';
import {
  ConnectorError,
  NormalizedEvent,
  OutboundRequest,
  PlatformConnector,
  SendResult,
  WebhookRequest,
  WebhookVerdict,
} from '../connector';
import { callPlatform, httpError, PlatformResponse, retryAfterSeconds } from '../google/platform-http';
import {
  COMMENT_EVENT,
  normalizeTikTok,
  parseContent,
  parseTikTokJson,
  TikTokCommentContent,
  TikTokPayload,
  TikTokWebhook,
} from './tiktok-event';

type TikTokConfig = Pick<PlatformsConfig, 'tiktok' | 'timeoutMs' | 'webhookToleranceSeconds'>;

/** Business API answer envelope: HTTP 200 with `code` 0 on success, a coded error otherwise. */
interface TikTokEnvelope {
  code?: number;
  message?: string;
  request_id?: string;
  data?: { comment_id?: string; comments?: unknown[]; [k: string]: unknown };
}

/**
 * TikTok: comment webhooks signed with `TikTok-Signature`; replies through the Business API
 * (`POST /open_api/v1.3/business/comment/reply/create/`).
 */
export class TikTokConnector implements PlatformConnector {
  readonly name = 'tiktok' as const;
  readonly platforms = [Platform.TIKTOK];

  constructor(
    private readonly config: TikTokConfig,
    private readonly now: () => number = Date.now,
  ) {}

  isConfigured(): boolean {
    return !!this.config.tiktok.clientSecret;
  }

  /**
   * TikTok for Developers, "Webhooks verification": `TikTok-Signature: t=<unix>,s=<hex>` where s is
   * HMAC-SHA256 of `<t>.<raw body>` with the client secret. The timestamp is signed, so rejecting old
   * ones (beyond WEBHOOK_TOLERANCE_SECONDS) stops replays of captured deliveries.
   */
  verifyWebhook(req: WebhookRequest): WebhookVerdict {
    const secret = this.config.tiktok.clientSecret;
    if (!secret) return { kind: 'rejected', status: 401, reason: 'TIKTOK_CLIENT_SECRET not configured' };
    const header = parseSignature(req.headers['tiktok-signature']);
    if (!header) return { kind: 'rejected', status: 401, reason: 'missing or malformed TikTok-Signature' };
    const expected = createHmac('sha256', secret).update(`${header.t}.`).update(req.rawBody).digest();
    const given = Buffer.from(header.s, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { kind: 'rejected', status: 401, reason: 'bad signature' };
    }
    const age = Math.abs(this.now() / 1000 - Number(header.t));
    if (age > this.config.webhookToleranceSeconds) {
      return { kind: 'rejected', status: 401, reason: 'stale timestamp' };
    }
    let envelope: TikTokWebhook;
    let content: TikTokCommentContent;
    try {
      envelope = JSON.parse(req.rawBody.toString('utf8')) as TikTokWebhook;
      // authorization.removed, video.*, direct messages…: not handled here; acknowledged, not stored.
      if (envelope.event !== COMMENT_EVENT) return { kind: 'accepted', deliveries: [] };
      content = parseContent(envelope.content);
    } catch {
      // Signed but unreadable: acknowledged, nothing stored (TikTok would retry it for 72 hours).
      return { kind: 'accepted', deliveries: [] };
    }
    if (!envelope.user_openid || !content?.comment_id || !content.video_id) {
      return { kind: 'accepted', deliveries: [] };
    }
    const payload: TikTokPayload = {
      event: envelope.event,
      create_time: envelope.create_time,
      user_openid: envelope.user_openid,
      content,
    };
    // TikTok deliveries usually carry no event id: the hash of what identifies the event is the key,
    // so a retried delivery (same event, time and content) is stored once.
    const eventKey =
      envelope.event_id ??
      createHash('sha256')
        .update(`${envelope.event}\n${envelope.create_time}\n${envelope.content}`)
        .digest('hex');
    return {
      kind: 'accepted',
      deliveries: [{ platform: Platform.TIKTOK, externalAccountId: envelope.user_openid, eventKey, payload }],
    };
  }

  normalize(delivery: {
    platform: Platform;
    externalAccountId: string;
    payload: unknown;
  }): NormalizedEvent[] {
    return normalizeTikTok(delivery.payload as TikTokPayload, delivery.externalAccountId);
  }

  async send(request: OutboundRequest): Promise<SendResult> {
    if (request.action !== 'REPLY') {
      throw new ConnectorError('UNSUPPORTED', `TikTok cannot ${request.action} through Caredesk`);
    }
    const { videoId, commentId } = replyTarget(request.target);
    // reply/create takes no client key: a rerun after a lost answer would post twice, which is why
    // `reconcile` looks for the reply before the send worker tries again.
    const envelope = await this.call('POST', 'comment/reply/create', request.credentials, {
      business_id: request.externalAccountId,
      video_id: videoId,
      comment_id: commentId,
      text: request.body,
    });
    const id = envelope.data?.comment_id;
    if (!id) throw new ConnectorError('TRANSIENT', 'TikTok reply answered without a comment_id');
    return { externalId: String(id) };
  }

  /** Our reply already under the comment (the owner's, same text) if the lost send did happen. */
  async reconcile(request: OutboundRequest): Promise<SendResult | null> {
    if (request.action !== 'REPLY') return null;
    const { videoId, commentId } = replyTarget(request.target);
    const query = new URLSearchParams({
      business_id: request.externalAccountId,
      video_id: videoId,
      comment_id: commentId,
      status: 'ALL',
      max_count: '30',
    });
    const envelope = await this.call('GET', `comment/reply/list`, request.credentials, undefined, query);
    const replies = (envelope.data?.comments ?? []) as Array<{
      comment_id: string;
      text?: string;
      owner?: boolean;
    }>;
    const ours = replies.find((c) => c.owner === true && c.text === request.body);
    return ours ? { externalId: String(ours.comment_id) } : null;
  }

  /** One Business API call: `Access-Token` header, the `{ code, message, data }` envelope checked. */
  private async call(
    method: 'GET' | 'POST',
    endpoint: string,
    credentials: Record<string, unknown>,
    body?: unknown,
    query?: URLSearchParams,
  ): Promise<TikTokEnvelope> {
    const token = credentials.accessToken;
    if (typeof token !== 'string' || !token) {
      throw new ConnectorError('AUTH_EXPIRED', 'TikTok channel has no access token');
    }
    const url = `${this.config.tiktok.apiUrl}/open_api/v1.3/business/${endpoint}/${query ? `?${query}` : ''}`;
    const res = await callPlatform(url, {
      method,
      headers: { 'access-token': token },
      body,
      timeoutMs: this.config.timeoutMs,
    });
    return checkEnvelope(res, endpoint);
  }
}

/**
 * The video and top-level comment to answer: the answered message's replyContext, else its thread
 * key (`comment:<video id>:<top-level comment id>`), which names both.
 */
function replyTarget(target: Record<string, string>): { videoId: string; commentId: string } {
  if (target.videoId && target.commentId) return { videoId: target.videoId, commentId: target.commentId };
  const m = /^comment:([^:]+):([^:]+)$/.exec(target.threadKey ?? '');
  if (!m) throw new ConnectorError('REJECTED', 'TikTok reply needs the video and the comment to answer');
  return { videoId: m[1], commentId: m[2] };
}

function parseSignature(value: string | undefined): { t: string; s: string } | null {
  if (!value) return null;
  const parts = Object.fromEntries(
    value.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
    }),
  );
  if (!/^\d{1,12}$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/i.test(parts.s ?? '')) return null;
  return { t: parts.t, s: parts.s };
}

/**
 * Business API errors (Business API "Return codes"): 40100 too many requests; 40001/40102/40104/40105
 * permission or access token invalid, expired or revoked; 5xxxx server-side; others are bad requests.
 */
const AUTH_CODES = new Set([40001, 40102, 40104, 40105]);

function checkEnvelope(res: PlatformResponse, what: string): TikTokEnvelope {
  let body: TikTokEnvelope = {};
  try {
    body = parseTikTokJson<TikTokEnvelope>(res.text) ?? {};
  } catch {
    // not JSON (a proxy's HTML error page): mapped by status below
  }
  const detail = `${body.code ?? ''} ${body.message ?? ''}`.trim();
  if (res.status !== 200) throw httpError(res, `TikTok ${what}`, detail);
  if (body.code === 0) return body;
  const message = `TikTok ${what}: ${detail} (request ${body.request_id ?? '?'})`;
  const code = body.code ?? -1;
  if (code === 40100) throw new ConnectorError('RATE_LIMITED', message, retryAfterSeconds(res.headers));
  if (AUTH_CODES.has(code)) throw new ConnectorError('AUTH_EXPIRED', message);
  if (code >= 50000 || code === -1) throw new ConnectorError('TRANSIENT', message);
  throw new ConnectorError('REJECTED', message);
}
