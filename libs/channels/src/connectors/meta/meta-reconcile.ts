import { OutboundRequest, SendResult } from '../connector';
import { sameSentText } from '../same-sent-text';
import { MetaGraphClient } from './meta-graph.client';
import { fromGraphTime } from './meta-normalize.util';
import { messagingAccount, metaTarget, MetaTarget } from './meta-target';

interface GraphList<T> {
  data?: T[];
}
/** A Facebook comment (`message`) or an Instagram one (`text`, `timestamp`). */
interface GraphComment {
  id?: string;
  message?: string;
  text?: string;
  timestamp?: string;
  from?: { id?: string };
}
interface GraphMessage {
  id?: string;
  message?: string;
  from?: { id?: string };
}
interface GraphConversation {
  messages?: GraphList<GraphMessage>;
}

/** The latest messages of a conversation, newest first (Conversations API). */
const MESSAGES_FIELD = 'messages.limit(10){id,message,from}';

/**
 * After a send whose answer was lost (timeout, connection reset), looks for what Meta may already
 * have created, so a retry does not post the reply twice. Graph API offers no idempotency key, so
 * the test is: the newest thing the account said in that thread is this text (sameSentText). (An
 * agent sending the very same text twice in a row to one thread is the accepted false positive.)
 * - Facebook comment reply: GET /{top-level-comment-id}/comments, newest first;
 * - Instagram comment reply: GET /{ig-comment-id}/replies (Instagram comment moderation), the
 *   account's newest by timestamp;
 * - DM: GET /{page}/conversations?platform=…&user_id=… with its latest messages (Conversations API);
 * - private reply: findPrivateReply.
 * Instagram mention replies (on someone else's media) answer null: sent again. Messenger DMs and
 * private replies are also confirmed by their echo, which carries our idempotency key as metadata.
 * A failing lookup answers null too: the send that follows reports the real error.
 */
export async function reconcileWithMeta(
  graph: MetaGraphClient,
  req: OutboundRequest,
): Promise<SendResult | null> {
  const token = typeof req.credentials.accessToken === 'string' ? req.credentials.accessToken : '';
  if (!token) return null;
  const t = metaTarget(req);
  try {
    if (req.action === 'REPLY' && t.surface === 'fb_comment' && t.topLevelCommentId) {
      const res = await graph.call<GraphList<GraphComment>>(
        'GET',
        `/${enc(t.topLevelCommentId)}/comments`,
        token,
        undefined,
        {
          fields: 'id,message,from',
          order: 'reverse_chronological',
          filter: 'stream',
          limit: '25',
        },
      );
      const newestOwn = (res.data ?? []).find((c) => c.from?.id === req.externalAccountId);
      return found(newestOwn, newestOwn?.message, req.body);
    }
    if (req.action === 'REPLY' && t.surface === 'ig_comment' && t.topLevelCommentId) {
      const res = await graph.call<GraphList<GraphComment>>(
        'GET',
        `/${enc(t.topLevelCommentId)}/replies`,
        token,
        undefined,
        { fields: 'id,text,timestamp,from' },
      );
      const own = (res.data ?? []).filter((c) => c.from?.id === t.igUserId);
      const newestOwn = own.sort((a, b) => graphMillis(b.timestamp) - graphMillis(a.timestamp))[0];
      return found(newestOwn, newestOwn?.text, req.body);
    }
    const isDm = t.surface === 'messenger' || t.surface === 'ig_dm';
    if ((req.action === 'DIRECT_MESSAGE' || req.action === 'REPLY') && isDm && t.recipientId) {
      return await findInConversation(graph, req, t, token);
    }
    if (req.action === 'PRIVATE_REPLY') return await findPrivateReply(graph, req, t, token);
  } catch {
    return null;
  }
  return null;
}

/**
 * The private reply this outbound row made to its comment, if Meta has it. Facebook: the comment's
 * `private_reply_conversation` (Graph API Comment node: the conversation between the Page and the
 * comment's author that the private reply started). Instagram comments have no such field, but their
 * author's id is an Instagram-scoped id, so the conversation with them is read by user_id. Throws
 * what the Graph API answers (meta-send handles 10900 with it).
 */
export async function findPrivateReply(
  graph: MetaGraphClient,
  req: OutboundRequest,
  t: MetaTarget,
  token: string,
): Promise<SendResult | null> {
  if (!t.commentId) return null;
  if (!t.instagram) {
    const res = await graph.call<{ private_reply_conversation?: GraphConversation }>(
      'GET',
      `/${enc(t.commentId)}`,
      token,
      undefined,
      { fields: `private_reply_conversation{${MESSAGES_FIELD}}` },
    );
    return newestOwnMessage(res.private_reply_conversation, req.externalAccountId, req.body);
  }
  return findInConversation(graph, req, t, token);
}

/** The conversation with the recipient on this channel (Messenger or Instagram), newest messages first. */
async function findInConversation(
  graph: MetaGraphClient,
  req: OutboundRequest,
  t: MetaTarget,
  token: string,
): Promise<SendResult | null> {
  if (!t.recipientId) return null;
  const res = await graph.call<GraphList<GraphConversation>>(
    'GET',
    `/${enc(messagingAccount(req, t))}/conversations`,
    token,
    undefined,
    { platform: t.instagram ? 'instagram' : 'messenger', user_id: t.recipientId, fields: MESSAGES_FIELD },
  );
  // Instagram messages are from the Instagram account, Messenger ones from the Page: the channel's id.
  return newestOwnMessage(res.data?.[0], req.externalAccountId, req.body);
}

function newestOwnMessage(
  conversation: GraphConversation | undefined,
  ownId: string,
  body: string,
): SendResult | null {
  const newestOwn = (conversation?.messages?.data ?? []).find((m) => m.from?.id === ownId);
  return found(newestOwn, newestOwn?.message, body);
}

function found(item: { id?: string } | undefined, text: string | undefined, body: string): SendResult | null {
  return item?.id && sameSentText(text, body) ? { externalId: item.id } : null;
}

/** A Graph time in ms for sorting; 0 when absent or unreadable. */
const graphMillis = (value: string | undefined) => fromGraphTime(value)?.getTime() ?? 0;

const enc = (id: string) => encodeURIComponent(id);
