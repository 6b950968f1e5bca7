import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Platform } from '../../platform';
import { InboundDelivery, WebhookRequest, WebhookVerdict } from '../connector';
import { MetaDeliveryBody } from './meta.types';

export interface MetaWebhookSettings {
  appSecret?: string;
  verifyToken?: string;
}

/** `object` of a Meta delivery → the platform of its entries. Other objects (user, permissions…) carry no messages. */
const OBJECT_PLATFORMS: Record<string, Platform> = {
  page: Platform.FACEBOOK_PAGE,
  instagram: Platform.INSTAGRAM,
};

/**
 * Meta Webhooks ("Getting started", Graph API): a GET with hub.mode=subscribe and our verify token is
 * the subscription handshake, answered with hub.challenge as plain text; every POST carries
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`.
 *
 * Rejections answer 401 for a missing signature and 403 for a wrong one (and for a wrong verify
 * token), so a misconfigured app secret is told apart from no signature at all in the logs.
 */
export function verifyMetaWebhook(settings: MetaWebhookSettings, req: WebhookRequest): WebhookVerdict {
  if (req.method === 'GET') return handshake(settings, req);
  if (!settings.appSecret)
    return { kind: 'rejected', status: 403, reason: 'META_APP_SECRET is not configured' };
  const header = req.headers['x-hub-signature-256'];
  if (!header) return { kind: 'rejected', status: 401, reason: 'missing X-Hub-Signature-256' };
  if (!signatureMatches(settings.appSecret, req.rawBody, header)) {
    return { kind: 'rejected', status: 403, reason: 'X-Hub-Signature-256 does not match' };
  }
  return { kind: 'accepted', deliveries: splitDelivery(req.rawBody) };
}

function handshake(settings: MetaWebhookSettings, req: WebhookRequest): WebhookVerdict {
  const ok =
    !!settings.verifyToken &&
    req.query['hub.mode'] === 'subscribe' &&
    safeEqual(req.query['hub.verify_token'] ?? '', settings.verifyToken);
  if (!ok) return { kind: 'rejected', status: 403, reason: 'hub.verify_token does not match' };
  return {
    kind: 'handshake',
    status: 200,
    contentType: 'text/plain',
    body: req.query['hub.challenge'] ?? '',
  };
}

export function metaSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

function signatureMatches(appSecret: string, rawBody: Buffer, header: string): boolean {
  return safeEqual(header.trim().toLowerCase(), metaSignature(appSecret, rawBody));
}

/** Constant-time: a byte-by-byte early exit would leak how much of a forged signature was right. */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * One delivery per `entry`: Meta batches entries of several pages (or IG accounts) in one POST, and
 * each belongs to whichever channel routes its id. Entries carry no unique event id and a retry
 * re-sends identical entries, so the key is a hash of the entry's canonical JSON (prefixed by
 * `object`: a Page and an IG account could share an id space). A signed body that is not a Meta
 * delivery yields no entries (accepted, so Meta stops retrying something we can never use).
 */
export function splitDelivery(rawBody: Buffer): InboundDelivery[] {
  let body: MetaDeliveryBody;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as MetaDeliveryBody;
  } catch {
    return [];
  }
  const platform = body && typeof body.object === 'string' ? OBJECT_PLATFORMS[body.object] : undefined;
  if (!platform || !Array.isArray(body.entry)) return [];
  return body.entry
    .filter((e) => e && (typeof e.id === 'string' || typeof e.id === 'number'))
    .map((entry) => ({
      platform,
      externalAccountId: String(entry.id),
      eventKey: createHash('sha256')
        .update(`${body.object}:${canonicalJson(entry)}`)
        .digest('hex'),
      payload: entry,
    }));
}

/** JSON with object keys sorted at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
