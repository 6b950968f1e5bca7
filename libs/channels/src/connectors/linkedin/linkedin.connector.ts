import { createHash } from 'node:crypto';
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
import { LinkedInApiClient } from './linkedin-api.client';
import { normalizeLinkedIn } from './linkedin-normalize';
import { LinkedInNotification, LinkedInPushBody } from './linkedin-payload';
import { linkedInChallengeResponse, linkedInSignatureValid } from './linkedin-signature';

/** LinkedIn company pages: organization social action notifications in, Comments API out. */
export class LinkedInConnector implements PlatformConnector {
  readonly name = 'linkedin' as const;
  readonly platforms = [Platform.LINKEDIN];
  private readonly api: LinkedInApiClient;

  constructor(private readonly config: Pick<PlatformsConfig, 'linkedin' | 'timeoutMs'>) {
    this.api = new LinkedInApiClient(config.linkedin.apiUrl, config.timeoutMs);
  }

  /** Without the secret no signature can be checked: webhook intake answers 503 instead. */
  isConfigured(): boolean {
    return Boolean(this.config.linkedin.clientSecret);
  }

  verifyWebhook(req: WebhookRequest): WebhookVerdict {
    const secret = this.config.linkedin.clientSecret;
    if (!secret) return { kind: 'rejected', status: 403, reason: 'LINKEDIN_CLIENT_SECRET is not configured' };
    if (req.method === 'GET') {
      const code = req.query.challengeCode;
      if (!code) return { kind: 'rejected', status: 403, reason: 'missing challengeCode' };
      const body = JSON.stringify({
        challengeCode: code,
        challengeResponse: linkedInChallengeResponse(secret, code),
      });
      return { kind: 'handshake', status: 200, contentType: 'application/json', body };
    }
    // Same reasons as the other connectors, so the rejection counter reads alike across platforms.
    const header = req.headers['x-li-signature'];
    if (!header) return { kind: 'rejected', status: 401, reason: 'missing signature' };
    if (!linkedInSignatureValid(secret, req.rawBody, header)) {
      return { kind: 'rejected', status: 403, reason: 'bad signature' };
    }
    return { kind: 'accepted', deliveries: splitLinkedIn(req.rawBody) };
  }

  normalize(delivery: {
    platform: Platform;
    externalAccountId: string;
    payload: unknown;
  }): NormalizedEvent[] {
    return normalizeLinkedIn(delivery.externalAccountId, delivery.payload as LinkedInNotification);
  }

  async send(req: OutboundRequest): Promise<SendResult> {
    const token = typeof req.credentials.accessToken === 'string' ? req.credentials.accessToken : '';
    if (!token) throw new ConnectorError('AUTH_EXPIRED', 'The LinkedIn channel has no access token');
    const t = targetOf(req.target);
    switch (req.action) {
      case 'REPLY':
        return this.comment(token, req.externalAccountId, t, req.body);
      case 'DELETE': {
        // DELETE /rest/socialActions/{target}/comments/{comment id}?actor={org} (Comments API,
        // "Delete a Comment"): the target is what the comment was made on — its parent comment
        // when nested, else the post.
        const commentUrn = need(t.commentUrn, 'commentUrn');
        const on =
          t.parentComment && t.parentComment !== commentUrn
            ? t.parentComment
            : need(t.postUrn ?? t.object, 'postUrn');
        await this.api.call(
          'DELETE',
          `/rest/socialActions/${enc(on)}/comments/${enc(commentId(commentUrn))}?actor=${enc(req.externalAccountId)}`,
          token,
        );
        return { externalId: null };
      }
      default:
        // No private replies, DMs to members or hiding through the Community Management API.
        throw new ConnectorError('UNSUPPORTED', `LinkedIn does not support ${req.action}`);
    }
  }

  /**
   * After a send whose answer was lost: whether LinkedIn already has the comment (no idempotency key
   * in the Comments API). GET the comments where it would have been created (the parent comment's
   * replies, or the post's comments) and take the organization's newest: it is this reply when its
   * text is. A failing lookup answers null; the send that follows reports the real error.
   */
  async reconcile(req: OutboundRequest): Promise<SendResult | null> {
    const token = typeof req.credentials.accessToken === 'string' ? req.credentials.accessToken : '';
    const t = targetOf(req.target);
    if (!token || req.action !== 'REPLY' || !t.object) return null;
    try {
      const res = await this.api.call(
        'GET',
        `/rest/socialActions/${enc(t.parentComment || t.object)}/comments?count=50`,
        token,
      );
      const elements = Array.isArray(res.body.elements) ? (res.body.elements as LinkedInComment[]) : [];
      const newestOwn = elements
        .filter((c) => c.actor === req.externalAccountId)
        .sort((a, b) => (b.created?.time ?? 0) - (a.created?.time ?? 0))[0];
      if (!newestOwn || !sameSentText(newestOwn.message?.text, req.body)) return null;
      const id =
        newestOwn.commentUrn ?? (newestOwn.id ? `urn:li:comment:(${t.object},${newestOwn.id})` : null);
      return id ? { externalId: id } : null;
    } catch {
      return null;
    }
  }

  /**
   * A reply joins the top-level comment's thread (LinkedIn nests one level): the nested comment is
   * created under the parent comment URN with `parentComment` set; on a mention it is a comment on the
   * post. 201 answers with the id in `x-restli-id` and the created comment in the body.
   */
  private async comment(token: string, org: string, t: LinkedInTarget, text: string): Promise<SendResult> {
    const object = need(t.object, 'object');
    const parent = t.parentComment || undefined;
    const res = await this.api.call('POST', `/rest/socialActions/${enc(parent ?? object)}/comments`, token, {
      actor: org,
      object,
      message: { text },
      ...(parent ? { parentComment: parent } : {}),
    });
    const urn = typeof res.body.commentUrn === 'string' ? res.body.commentUrn : null;
    const id = res.headers.get('x-restli-id') ?? (typeof res.body.id === 'string' ? res.body.id : null);
    return { externalId: urn ?? (id ? `urn:li:comment:(${object},${id})` : null) };
  }
}

/**
 * One push (up to 10 notifications) → one inbound_events row per notification, keyed by LinkedIn's
 * `notificationId` (LinkedIn asks receivers to dedupe on it), or a hash of the notification.
 */
export function splitLinkedIn(rawBody: Buffer): InboundDelivery[] {
  let body: LinkedInPushBody;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as LinkedInPushBody;
  } catch {
    return [];
  }
  return (body.notifications ?? [])
    .filter((n) => typeof n?.organizationalEntity === 'string')
    .map((n) => ({
      platform: Platform.LINKEDIN,
      externalAccountId: n.organizationalEntity,
      eventKey:
        n.notificationId !== undefined
          ? String(n.notificationId)
          : `sha256:${createHash('sha256').update(JSON.stringify(n)).digest('hex')}`,
      payload: n,
    }));
}

/** `urn:li:comment:(urn:li:activity:123,456)` → `456`. */
function commentId(commentUrn: string): string {
  const m = /,([^,()]+)\)$/.exec(commentUrn);
  return m ? m[1] : commentUrn;
}

interface LinkedInComment {
  actor?: string;
  commentUrn?: string;
  id?: string;
  message?: { text?: string };
  created?: { time?: number };
}

interface LinkedInTarget {
  object?: string;
  parentComment?: string;
  commentUrn?: string;
  postUrn?: string;
}

/**
 * What a send needs, from this connector's replyContext when the caller kept it, otherwise from the
 * generic target fields: `threadKey` (`comment:<post urn>:<top comment urn>` or `mention:<share urn>`)
 * and `externalId` (the comment answered or moderated).
 */
function targetOf(t: Record<string, string>): LinkedInTarget {
  const key = t.threadKey ?? '';
  let postUrn = t.postUrn;
  let top = t.parentComment;
  if (key.startsWith('comment:')) {
    const rest = key.slice('comment:'.length);
    const i = rest.indexOf(':urn:li:comment:');
    if (i > 0) {
      postUrn ??= rest.slice(0, i);
      top ??= rest.slice(i + 1);
    }
  } else if (key.startsWith('mention:')) {
    postUrn ??= key.slice('mention:'.length);
  }
  const commentUrn = t.commentUrn ?? (t.externalId?.startsWith('urn:li:comment:') ? t.externalId : undefined);
  // A comment URN names what it is on: urn:li:comment:(urn:li:activity:123,456) is on urn:li:activity:123.
  const object = t.object ?? (top ? /^urn:li:comment:\((.+),[^,]+\)$/.exec(top)?.[1] : undefined) ?? postUrn;
  return { object, parentComment: top, commentUrn, postUrn };
}

function need(value: string | undefined, key: string): string {
  if (!value) throw new ConnectorError('REJECTED', `The message to answer has no ${key}`);
  return value;
}

const enc = encodeURIComponent;
