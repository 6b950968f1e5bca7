import { createHash, timingSafeEqual } from 'node:crypto';
import { PlatformsConfig } from '@caredesk/core';
import { Platform } from '../../platform';
import {
  ConnectorError,
  InboundDelivery,
  NormalizedEvent,
  OutboundRequest,
  PlatformConnector,
  SendResult,
  WebhookRequest,
  WebhookVerdict,
} from '../connector';
import {
  GoogleNotification,
  GooglePayload,
  GoogleReview,
  locationOf,
  normalizeGoogle,
  notificationType,
  REVIEW_TYPES,
  reviewNameOf,
} from './google-notification';
import { GooglePushAuth } from './google-push-auth';
import { callPlatform, httpError, PlatformResponse } from './platform-http';

/** Constant-time comparison of two secrets of any length (hashing first equalises the lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Google Business Profile: review notifications through a Pub/Sub push subscription, replies through
 * the v4 reviews API (accounts.locations.reviews.updateReply / deleteReply).
 */
export class GoogleConnector implements PlatformConnector {
  readonly name = 'google' as const;
  readonly platforms = [Platform.GOOGLE_BUSINESS];

  /** Set when OIDC push auth is configured (audience and service account): then it is required. */
  private readonly pushAuth: GooglePushAuth | null;

  constructor(private readonly config: Pick<PlatformsConfig, 'google' | 'timeoutMs'>) {
    const { pushAudience, pushServiceAccount, oidcCertsUrl } = config.google;
    this.pushAuth =
      pushAudience && pushServiceAccount
        ? new GooglePushAuth({
            audience: pushAudience,
            serviceAccount: pushServiceAccount,
            certsUrl: oidcCertsUrl,
            timeoutMs: config.timeoutMs,
          })
        : null;
  }

  isConfigured(): boolean {
    return !!this.pushAuth || !!this.config.google.pushToken;
  }

  /**
   * Pub/Sub push is authenticated, preferably, by the OIDC JWT Pub/Sub signs and sends as
   * `Authorization: Bearer` when the subscription has pushConfig.oidcToken (GooglePushAuth). Without
   * that configured, by the shared token we put in the push endpoint URL: `?token=<GOOGLE_PUSH_TOKEN>`.
   * The body is `{ message: { data: base64(JSON), messageId, publishTime, attributes }, subscription }`.
   */
  async verifyWebhook(req: WebhookRequest): Promise<WebhookVerdict> {
    if (this.pushAuth) {
      const reason = await this.pushAuth.reject(req.headers.authorization);
      if (reason) return { kind: 'rejected', status: reason === 'missing bearer token' ? 401 : 403, reason };
    } else {
      const expected = this.config.google.pushToken;
      const token = req.query.token;
      if (!expected || !token || !secretsEqual(token, expected)) {
        return { kind: 'rejected', status: 403, reason: 'bad or missing push token' };
      }
    }
    if (req.method !== 'POST') return { kind: 'rejected', status: 403, reason: 'push deliveries are POSTs' };
    const delivery = parsePush(req.rawBody);
    // A verified push we cannot use (malformed, or a notification type we don't subscribe to) is
    // acknowledged with nothing stored: Pub/Sub would otherwise redeliver it until it expires.
    return { kind: 'accepted', deliveries: delivery ? [delivery] : [] };
  }

  normalize(delivery: {
    platform: Platform;
    externalAccountId: string;
    payload: unknown;
  }): NormalizedEvent[] {
    return normalizeGoogle(delivery.payload as GooglePayload);
  }

  /**
   * Google's notification carries `reviewName` only; the review itself is read with
   * accounts.locations.reviews.get (GET /v4/{name}). A payload that already embeds it is returned as is.
   */
  async hydrate(
    delivery: { platform: Platform; externalAccountId: string; payload: unknown },
    credentials: Record<string, unknown>,
  ): Promise<GooglePayload> {
    const payload = delivery.payload as GooglePayload;
    const n = payload.notification;
    if (!REVIEW_TYPES.has(notificationType(n))) return payload;
    if (typeof n.review === 'object' && n.review?.name) return payload;
    const reviewName = reviewNameFromTarget({ reviewName: reviewNameOf(n) ?? '' });
    const res = await this.call('GET', `/v4/${reviewName}`, credentials);
    if (res.status !== 200) throw this.error(res, 'reviews.get');
    return { ...payload, notification: { ...n, review: res.body as GoogleReview } };
  }

  async send(request: OutboundRequest): Promise<SendResult> {
    const reviewName = reviewNameFromTarget(request.target);
    if (request.action === 'REPLY') {
      // updateReply is a PUT of the one reply a review can have: a resend replaces it with the same
      // text, so a rerun after a lost answer cannot create a second reply.
      const res = await this.call('PUT', `/v4/${reviewName}/reply`, request.credentials, {
        comment: request.body,
      });
      if (res.status !== 200) throw this.error(res, 'updateReply');
      return { externalId: `${reviewName}/reply` };
    }
    if (request.action === 'DELETE') {
      // Only our own reply can be deleted; a customer's review cannot (there is no such API).
      if (!request.target.externalId?.endsWith('/reply')) {
        throw new ConnectorError('UNSUPPORTED', 'Google reviews cannot be deleted; only the reply can');
      }
      const res = await this.call('DELETE', `/v4/${reviewName}/reply`, request.credentials);
      // Already gone (404) is what we wanted.
      if (res.status !== 200 && res.status !== 204 && res.status !== 404)
        throw this.error(res, 'deleteReply');
      return { externalId: null };
    }
    throw new ConnectorError('UNSUPPORTED', `Google Business Profile cannot ${request.action}`);
  }

  /** The review's current reply: if it is ours (same text), the lost send did happen. */
  async reconcile(request: OutboundRequest): Promise<SendResult | null> {
    if (request.action !== 'REPLY') return null;
    const reviewName = reviewNameFromTarget(request.target);
    const res = await this.call('GET', `/v4/${reviewName}`, request.credentials);
    if (res.status !== 200) throw this.error(res, 'reviews.get');
    const review = res.body as GoogleReview;
    return review.reviewReply?.comment === request.body ? { externalId: `${reviewName}/reply` } : null;
  }

  private call(
    method: string,
    path: string,
    credentials: Record<string, unknown>,
    body?: unknown,
  ): Promise<PlatformResponse> {
    const token = credentials.accessToken;
    if (typeof token !== 'string' || !token) {
      throw new ConnectorError('AUTH_EXPIRED', 'Google channel has no access token');
    }
    return callPlatform(`${this.config.google.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      body,
      timeoutMs: this.config.timeoutMs,
    });
  }

  /**
   * Google's error body: `{ error: { code, message, status } }` (google.rpc.Status over HTTP). Per
   * Google's error model (AIP-193, google.rpc.Code) only 401 UNAUTHENTICATED means the token is
   * missing, invalid or expired; 403 PERMISSION_DENIED means the token is fine but its account may
   * not do this (no longer a manager of the location, API not enabled for the project) — a reconnect
   * with the same account would not help, so it is REJECTED, not AUTH_EXPIRED.
   */
  private error(res: PlatformResponse, what: string): ConnectorError {
    const err = (res.body as { error?: { message?: string; status?: string } } | null)?.error;
    const detail = err ? `${err.status ?? ''} ${err.message ?? ''}` : '';
    if (res.status === 403) return new ConnectorError('REJECTED', `Google ${what}: 403 ${detail}`.trim());
    return httpError(res, `Google ${what}`, detail);
  }
}

function reviewNameFromTarget(target: Record<string, string>): string {
  const name = target.reviewName ?? target.externalId?.replace(/\/reply$/, '');
  // Refuses anything that is not a review resource name: it becomes a URL path.
  if (!name || !/^accounts\/[^/]+\/locations\/[^/]+\/reviews\/[^/]+$/.test(name)) {
    throw new ConnectorError('REJECTED', `Not a Google review name: ${String(name)}`);
  }
  return name;
}

function parsePush(rawBody: Buffer): InboundDelivery | null {
  let message: { data?: string; messageId?: string; message_id?: string; publishTime?: string } | undefined;
  let notification: GoogleNotification;
  try {
    message = (JSON.parse(rawBody.toString('utf8')) as { message?: typeof message }).message;
    if (!message?.data) return null;
    notification = JSON.parse(Buffer.from(message.data, 'base64').toString('utf8')) as GoogleNotification;
  } catch {
    return null;
  }
  const messageId = message.messageId ?? message.message_id;
  // The review name embeds its location (accounts/{a}/locations/{l}/reviews/{r}).
  const location = locationOf(notification) ?? reviewNameOf(notification)?.replace(/\/reviews\/[^/]+$/, '');
  if (!messageId || !location || !REVIEW_TYPES.has(notificationType(notification))) return null;
  const payload: GooglePayload = { messageId, publishTime: message.publishTime ?? null, notification };
  return { platform: Platform.GOOGLE_BUSINESS, externalAccountId: location, eventKey: messageId, payload };
}
