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
import { sameSentText } from '../same-sent-text';
import { XApiClient } from './x-api.client';
import { normalizeX } from './x-normalize';
import { XActivityBody, XDeliveryPayload, XUser } from './x-payload';
import { xCrcResponse, xSignatureValid } from './x-signature';

/** X (Twitter): Account Activity API webhooks in, X API v2 out. */
export class XConnector implements PlatformConnector {
  readonly name = 'x' as const;
  readonly platforms = [Platform.X];
  private readonly api: XApiClient;

  constructor(private readonly config: Pick<PlatformsConfig, 'x' | 'timeoutMs'>) {
    this.api = new XApiClient(config.x.apiUrl, config.timeoutMs);
  }

  /** Without the secret no signature can be checked: webhook intake answers 503 instead. */
  isConfigured(): boolean {
    return Boolean(this.config.x.consumerSecret);
  }

  verifyWebhook(req: WebhookRequest): WebhookVerdict {
    const secret = this.config.x.consumerSecret;
    if (!secret) return { kind: 'rejected', status: 403, reason: 'X_CONSUMER_SECRET is not configured' };
    if (req.method === 'GET') {
      const token = req.query.crc_token;
      if (!token) return { kind: 'rejected', status: 403, reason: 'missing crc_token' };
      // Pure computation, no I/O: answered well within X's 3-second CRC deadline.
      return {
        kind: 'handshake',
        status: 200,
        contentType: 'application/json',
        body: xCrcResponse(secret, token),
      };
    }
    // Same reasons as the other connectors, so the rejection counter reads alike across platforms.
    const header = req.headers['x-twitter-webhooks-signature'];
    if (!header) return { kind: 'rejected', status: 401, reason: 'missing signature' };
    if (!xSignatureValid(secret, req.rawBody, header)) {
      return { kind: 'rejected', status: 403, reason: 'bad signature' };
    }
    return { kind: 'accepted', deliveries: splitX(req.rawBody) };
  }

  normalize(delivery: {
    platform: Platform;
    externalAccountId: string;
    payload: unknown;
  }): NormalizedEvent[] {
    return normalizeX(delivery.externalAccountId, delivery.payload as XDeliveryPayload);
  }

  async send(req: OutboundRequest): Promise<SendResult> {
    const token = typeof req.credentials.accessToken === 'string' ? req.credentials.accessToken : '';
    if (!token) throw new ConnectorError('AUTH_EXPIRED', 'The X channel has no access token');
    const t = targetOf(req.target);
    switch (req.action) {
      case 'REPLY':
        // Answer where the customer wrote: a tweet reply to a mention, a DM in a DM thread.
        if (t.tweetId) return this.tweetReply(token, t.tweetId, req.body);
        return this.dm(token, need(t.userId, 'userId'), req.body);
      // X has no private reply to a tweet: PRIVATE_REPLY is a DM to its author, the nearest thing.
      case 'PRIVATE_REPLY':
      case 'DIRECT_MESSAGE':
        return this.dm(token, need(t.userId, 'userId'), req.body);
      case 'HIDE':
      case 'UNHIDE':
        // docs.x.com "Hide replies": only replies to the account's own conversations can be hidden.
        await this.api.call('PUT', `/2/tweets/${enc(need(t.tweetId, 'tweetId'))}/hidden`, token, {
          hidden: req.action === 'HIDE',
        });
        return { externalId: null };
      case 'DELETE':
        // X lets an account delete only its own tweets (DELETE /2/tweets/:id). When the author is
        // not in the target, X itself refuses (403 → REJECTED).
        if (t.authorId && t.authorId !== req.externalAccountId) {
          throw new ConnectorError('UNSUPPORTED', "X cannot delete another account's tweet");
        }
        await this.api.call('DELETE', `/2/tweets/${enc(need(t.tweetId, 'tweetId'))}`, token);
        return { externalId: null };
      default:
        throw new ConnectorError('UNSUPPORTED', `X does not support ${req.action}`);
    }
  }

  /**
   * After a send whose answer was lost: what X may already have created (the API has no idempotency
   * key). A tweet reply: the account's newest tweet replying to that tweet (GET /2/users/:id/tweets,
   * newest first) has this text. A DM: the newest message in the 1:1 conversation not sent by the
   * customer (GET /2/dm_conversations/with/:participant_id/dm_events, newest first) has this text.
   * An agent sending the very same text twice in a row to one thread is the accepted false positive;
   * a failing lookup answers null, and the send that follows reports the real error.
   */
  async reconcile(req: OutboundRequest): Promise<SendResult | null> {
    const token = typeof req.credentials.accessToken === 'string' ? req.credentials.accessToken : '';
    const t = targetOf(req.target);
    if (!token) return null;
    try {
      if (req.action === 'REPLY' && t.tweetId) {
        const res = await this.api.call<{ data?: XTweet[] }>(
          'GET',
          `/2/users/${enc(req.externalAccountId)}/tweets?max_results=20&tweet.fields=referenced_tweets`,
          token,
        );
        const newest = (res.data ?? []).find((tw) =>
          tw.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === t.tweetId),
        );
        return newest?.id && sameSentText(newest.text, req.body) ? { externalId: newest.id } : null;
      }
      const dm = req.action === 'REPLY' || req.action === 'PRIVATE_REPLY' || req.action === 'DIRECT_MESSAGE';
      if (dm && t.userId) {
        const res = await this.api.call<{ data?: XDmEvent[] }>(
          'GET',
          `/2/dm_conversations/with/${enc(t.userId)}/dm_events?max_results=20&event_types=MessageCreate` +
            `&dm_event.fields=sender_id,text`,
          token,
        );
        const newestOwn = (res.data ?? []).find((e) => e.sender_id && e.sender_id !== t.userId);
        return newestOwn?.id && sameSentText(newestOwn.text, req.body) ? { externalId: newestOwn.id } : null;
      }
    } catch {
      return null;
    }
    return null;
  }

  private async tweetReply(token: string, tweetId: string, text: string): Promise<SendResult> {
    const res = await this.api.call<{ data?: { id?: string } }>('POST', '/2/tweets', token, {
      text,
      reply: { in_reply_to_tweet_id: tweetId },
    });
    return { externalId: res.data?.id ?? null };
  }

  private async dm(token: string, participantId: string, text: string): Promise<SendResult> {
    const res = await this.api.call<{ data?: { dm_event_id?: string } }>(
      'POST',
      `/2/dm_conversations/with/${enc(participantId)}/messages`,
      token,
      { text },
    );
    return { externalId: res.data?.dm_event_id ?? null };
  }
}

/**
 * One Account Activity delivery → one inbound_events row per event. The key is scoped by the
 * subscribed account: a tweet that mentions two brands of one agency is two events, one per channel.
 */
export function splitX(rawBody: Buffer): InboundDelivery[] {
  let body: XActivityBody;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as XActivityBody;
  } catch {
    return [];
  }
  const account = body.for_user_id;
  if (!account) return [];
  const out: InboundDelivery[] = [];
  const push = (eventKey: string, payload: XDeliveryPayload) =>
    out.push({
      platform: Platform.X,
      externalAccountId: account,
      eventKey: `${account}/${eventKey}`,
      payload,
    });
  for (const tweet of body.tweet_create_events ?? []) push(tweet.id_str, { kind: 'tweet_create', tweet });
  for (const event of body.direct_message_events ?? []) {
    const mc = event.message_create;
    const users: Record<string, XUser> = {};
    for (const id of [mc?.sender_id, mc?.target?.recipient_id]) {
      if (id && body.users?.[id]) users[id] = body.users[id];
    }
    push(event.id, { kind: 'direct_message', event, users });
  }
  for (const event of body.tweet_delete_events ?? []) {
    push(`delete:${event.status.id}`, { kind: 'tweet_delete', event });
  }
  return out;
}

/**
 * What a send needs, from the target the send worker passes: this connector's replyContext when the
 * caller kept it, otherwise the generic fields every target has (`externalId` of the message
 * answered, `threadKey`, `recipientId` = the customer's X user id).
 */
function targetOf(t: Record<string, string>): { tweetId?: string; userId?: string; authorId?: string } {
  const isDm = t.threadKey?.startsWith('dm:') || Boolean(t.dmEventId);
  return {
    tweetId: t.tweetId ?? (isDm ? undefined : t.externalId),
    userId: t.userId ?? t.recipientId ?? (t.threadKey?.startsWith('dm:') ? t.threadKey.slice(3) : undefined),
    authorId: t.authorId,
  };
}

function need(value: string | undefined, key: string): string {
  if (!value) throw new ConnectorError('REJECTED', `The message to answer has no ${key}`);
  return value;
}

interface XTweet {
  id?: string;
  text?: string;
  referenced_tweets?: { type?: string; id?: string }[];
}
interface XDmEvent {
  id?: string;
  text?: string;
  sender_id?: string;
}

const enc = encodeURIComponent;
