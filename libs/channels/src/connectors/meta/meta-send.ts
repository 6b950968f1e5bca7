import { ConnectorError, OutboundRequest, SendResult } from '../connector';
import { MetaGraphClient } from './meta-graph.client';
import { metaTarget, MetaTarget } from './meta-target';

/**
 * OutboundRequest → Graph API call (see meta-target.ts for how the target is read). Endpoints:
 * - Facebook comment reply: POST /{comment-id}/comments {message} (Graph API, Comments edge);
 * - Instagram comment reply: POST /{ig-comment-id}/replies {message} (Instagram comment moderation);
 * - Instagram mention reply: POST /{ig-user-id}/mentions {media_id, comment_id, message};
 * - DM: POST /{page-or-ig-id}/messages {recipient:{id}, messaging_type:RESPONSE, message} (Send API);
 * - private reply: POST /{page-or-ig-id}/messages {recipient:{comment_id}, message} (Private Replies);
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
      if ((isComment || t.surface === 'ig_mention') && t.commentId) {
        const res = await graph.call<{ message_id?: string }>(
          'POST',
          `/${enc(req.externalAccountId)}/messages`,
          token,
          {
            recipient: { comment_id: t.commentId },
            message: { text: req.body },
          },
        );
        return { externalId: res.message_id ?? null };
      }
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
    `/${enc(req.externalAccountId)}/messages`,
    token,
    {
      recipient: { id: t.recipientId },
      messaging_type: 'RESPONSE',
      message: { text: req.body, metadata: req.idempotencyKey },
    },
  );
  return { externalId: res.message_id ?? null };
}

/** media_id is required by POST /{ig-user-id}/mentions; comment_id only for a mention in a comment. */
async function replyToMention(graph: MetaGraphClient, req: OutboundRequest, t: MetaTarget, token: string) {
  if (!t.mediaId)
    throw new ConnectorError('REJECTED', 'Replying to a mention needs its media id (replyContext.mediaId)');
  const body: Record<string, unknown> = { media_id: t.mediaId, message: req.body };
  if (t.commentId && t.commentId !== t.mediaId) body.comment_id = t.commentId;
  return idOf(await graph.call('POST', `/${enc(t.igUserId)}/mentions`, token, body));
}

function idOf(res: Record<string, unknown>): SendResult {
  return { externalId: typeof res.id === 'string' ? res.id : null };
}

const enc = (id: string) => encodeURIComponent(id);
