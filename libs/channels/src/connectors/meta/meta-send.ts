import { ConnectorError, OutboundRequest, SendResult } from '../connector';
import { MetaGraphClient } from './meta-graph.client';
import { ALREADY_REPLIED_CODE, MetaGraphError } from './meta-graph.errors';
import { findPrivateReply } from './meta-reconcile';
import { mentionedCommentId, messagingAccount, metaTarget, MetaTarget } from './meta-target';

const HOUR_MS = 3_600_000;
/** Messenger Platform policy: standard messaging within 24 h of the person's last message… */
const STANDARD_WINDOW_MS = 24 * HOUR_MS;
/** …and a human agent's answer, tagged HUMAN_AGENT, within 7 days (Send API "Message Tags"). */
const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

/**
 * OutboundRequest → Graph API call (see meta-target.ts for how the target is read). Endpoints:
 * - Facebook comment reply: POST /{comment-id}/comments {message} (Graph API, Comments edge);
 * - Instagram comment reply: POST /{ig-comment-id}/replies {message} (Instagram comment moderation);
 * - Instagram mention reply: POST /{ig-user-id}/mentions {media_id, comment_id, message};
 * - DM: POST /{page}/messages {recipient:{id}, messaging_type, message} (Send API; the Page linked to
 *   an Instagram account for Instagram, see messagingAccount);
 * - private reply: POST /{page}/messages {recipient:{comment_id}, message} (Private Replies);
 * - hide: POST /{comment-id} {is_hidden} on Facebook, {hide} on Instagram; delete: DELETE /{comment-id}.
 */
export async function sendToMeta(graph: MetaGraphClient, req: OutboundRequest): Promise<SendResult> {
  const token = typeof req.credentials.accessToken === 'string' ? req.credentials.accessToken : '';
  if (!token) throw new ConnectorError('AUTH_EXPIRED', 'The channel has no Meta access token');
  const t = metaTarget(req);
  const isComment = t.surface === 'fb_comment' || t.surface === 'ig_comment';
  const isDm = t.surface === 'messenger' || t.surface === 'ig_dm';

  switch (req.action) {
    case 'REPLY':
      if (isComment && t.topLevelCommentId) {
        const edge = t.surface === 'fb_comment' ? 'comments' : 'replies';
        return idOf(
          await graph.call('POST', `/${enc(t.topLevelCommentId)}/${edge}`, token, { message: req.body }),
        );
      }
      if (t.surface === 'ig_mention') return replyToMention(graph, req, t, token);
      if (isDm) return directMessage(graph, req, t, token);
      break;
    case 'DIRECT_MESSAGE':
      if (isDm) return directMessage(graph, req, t, token);
      break;
    case 'PRIVATE_REPLY':
      // Meta allows one private reply per comment, within 7 days of it (Messenger "Private Replies").
      if ((isComment || t.surface === 'ig_mention') && t.commentId) return privateReply(graph, req, t, token);
      break;
    case 'HIDE':
    case 'UNHIDE':
      if (isComment && t.commentId) {
        const hidden = req.action === 'HIDE';
        const body = t.surface === 'fb_comment' ? { is_hidden: hidden } : { hide: hidden };
        await graph.call('POST', `/${enc(t.commentId)}`, token, body);
        return { externalId: null };
      }
      break;
    case 'DELETE':
      if (isComment && t.commentId) {
        await graph.call('DELETE', `/${enc(t.commentId)}`, token);
        return { externalId: null };
      }
      break;
  }
  throw new ConnectorError('UNSUPPORTED', `Meta cannot ${req.action} on ${t.surface ?? 'this message'}`);
}

/**
 * `metadata` is echoed back in the message_echoes webhook (Messenger webhook reference), which is
 * how the outbox can recognise its own send if this HTTP answer is lost.
 */
async function directMessage(graph: MetaGraphClient, req: OutboundRequest, t: MetaTarget, token: string) {
  if (!t.recipientId) throw new ConnectorError('REJECTED', 'No recipient for this direct message');
  const res = await graph.call<{ message_id?: string }>(
    'POST',
    `/${enc(messagingAccount(req, t))}/messages`,
    token,
    {
      recipient: { id: t.recipientId },
      ...messagingType(t.customerLastMessageAt),
      message: { text: req.body, metadata: req.idempotencyKey },
    },
  );
  return { externalId: res.message_id ?? null };
}

/**
 * RESPONSE within 24 h of the customer's last message; after that, up to 7 days, the HUMAN_AGENT tag
 * (an agent is writing; the app needs Meta's Human Agent permission); later nothing may be sent until
 * the customer writes again, so the reply fails here instead of being refused by Meta. Unknown (a DM
 * opened by a private reply, before the customer answered): RESPONSE, and Meta decides.
 */
function messagingType(customerLastMessageAt: string | null): Record<string, string> {
  const since = customerLastMessageAt ? Date.parse(customerLastMessageAt) : NaN;
  const age = Date.now() - since;
  if (Number.isNaN(since) || age <= STANDARD_WINDOW_MS) return { messaging_type: 'RESPONSE' };
  if (age <= HUMAN_AGENT_WINDOW_MS) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  throw new ConnectorError(
    'WINDOW_CLOSED',
    `The customer last wrote ${Math.floor(age / (24 * HOUR_MS))} days ago; Meta allows answers within 7 days ` +
      'of their last message (HUMAN_AGENT tag), so this DM can only go once they write again',
  );
}

/**
 * A comment takes one private reply; `metadata` (our idempotency key) comes back in its echo like a
 * DM's. Meta's 10900 "Activity already replied to" means that reply exists: when it is ours (a retry
 * after a lost answer, found by findPrivateReply) the send is done; otherwise someone else answered
 * the comment privately (Business Suite, another tool) and this one is REJECTED.
 */
async function privateReply(graph: MetaGraphClient, req: OutboundRequest, t: MetaTarget, token: string) {
  try {
    const res = await graph.call<{ message_id?: string }>(
      'POST',
      `/${enc(messagingAccount(req, t))}/messages`,
      token,
      {
        recipient: { comment_id: t.commentId },
        message: { text: req.body, metadata: req.idempotencyKey },
      },
    );
    return { externalId: res.message_id ?? null };
  } catch (e) {
    if (!(e instanceof MetaGraphError) || e.graphCode !== ALREADY_REPLIED_CODE) throw e;
    // A failing read-back throws (TRANSIENT: retried, and the retry reconciles first).
    const ours = await findPrivateReply(graph, req, t, token);
    if (ours) return ours;
    throw new ConnectorError(
      'REJECTED',
      `${e.message} (not by this reply: the comment was answered privately before)`,
    );
  }
}

/** media_id is required by POST /{ig-user-id}/mentions; comment_id only for a mention in a comment. */
async function replyToMention(graph: MetaGraphClient, req: OutboundRequest, t: MetaTarget, token: string) {
  if (!t.mediaId)
    throw new ConnectorError('REJECTED', 'Replying to a mention needs its media id (replyContext.mediaId)');
  const body: Record<string, unknown> = { media_id: t.mediaId, message: req.body };
  const commentId = mentionedCommentId(t);
  if (commentId) body.comment_id = commentId;
  return idOf(await graph.call('POST', `/${enc(t.igUserId)}/mentions`, token, body));
}

function idOf(res: Record<string, unknown>): SendResult {
  return { externalId: typeof res.id === 'string' ? res.id : null };
}

const enc = (id: string) => encodeURIComponent(id);
