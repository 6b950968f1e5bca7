import { OutboundRequest, SendResult } from '../connector';
import { sameSentText } from '../same-sent-text';
import { MetaGraphClient } from './meta-graph.client';
import { readMentioned } from './meta-mentioned';
import { PAGE_LIMIT, readAllPages } from './meta-pages';
import { fromGraphTime } from './meta-normalize.util';
import { mentionedCommentId, messagingAccount, metaTarget, MetaTarget } from './meta-target';

interface GraphList<T> {
  data?: T[];
}
/** A Facebook comment: `from` is the Page or person that wrote it (Graph API Comment node). */
interface GraphComment {
  id?: string;
  message?: string;
  from?: { id?: string };
}
/** An Instagram comment as the IG Comment node reads it (fields: IG_OWN_COMMENT_FIELDS). */
interface IgComment {
  id?: string;
  text?: string;
  timestamp?: string;
  user?: { id?: string };
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
 * What tells the account's own Instagram comments apart (IG Comment reference): `user` is the "ID of
 * IG User who created the IG Comment. Only returned if the app user created the IG Comment", which is
 * the channel's IG user id; `from.id` is not that id but "The Instagram-scoped ID (IGSID) of the
 * Instagram user who created the IG Comment", so it is not read here.
 */
const IG_OWN_COMMENT_FIELDS = 'id,text,timestamp,user';

/**
 * After a send whose answer was lost (timeout, connection reset), looks for what Meta may already
 * have created, so a retry does not post the reply twice. Graph API offers no idempotency key, so
 * the test is: the newest thing the account said in that thread is this text (sameSentText). (An
 * agent sending the very same text twice in a row to one thread is the accepted false positive.)
 * - Facebook comment reply: GET /{top-level-comment-id}/comments, newest first;
 * - Instagram comment reply: GET /{ig-comment-id}/replies (Instagram comment moderation), every
 *   page (readAllPages), the account's newest by timestamp (IG_OWN_COMMENT_FIELDS);
 * - Instagram mention reply: findMentionReply;
 * - DM: GET /{page}/conversations?platform=…&user_id=… with its latest messages (Conversations API);
 * - private reply: findPrivateReply.
 * Messenger DMs and private replies are also confirmed by their echo, which carries our idempotency
 * key as metadata. A failing lookup answers null too: the send that follows reports the real error.
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
      // Every page: the order of /replies is not documented (newestOwnIgComment sorts by timestamp).
      const replies = await readAllPages<IgComment>(graph, `/${enc(t.topLevelCommentId)}/replies`, token, {
        fields: IG_OWN_COMMENT_FIELDS,
      });
      return newestOwnIgComment(replies, t.igUserId, req.body);
    }
    if (req.action === 'REPLY' && t.surface === 'ig_mention' && t.mediaId) {
      return await findMentionReply(graph, req, t, token);
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
 * An Instagram mention reply (POST /{ig-user-id}/mentions) is the account's comment on someone else's
 * comment or media, so it is read where readMentioned can reach:
 * - on a comment: "The reply will appear as a sub-thread comment on the comment in which the Business
 *   or Creator Account was mentioned" (Instagram "Mentions" guide), so it is among the mentioned
 *   comment's `replies` (an IG Comment field: "A list of replies (IG Comments) made on the IG
 *   Comment"); the Mentioned Comment reference takes "A comma-separated list of IG Comment Fields"
 *   but lists no `replies` in its own table: should Meta refuse it, this answers null and the reply
 *   is sent again;
 * - on a caption: "Creates an IG Comment on an IG Media object in which an IG User has been
 *   @mentioned in a caption" (IG User Mentions), found in the mentioned media's `comments` ("A list
 *   of IG Comments on the IG Media", Mentioned Media reference).
 * Only the first page of that edge is read, of PAGE_LIMIT (field expansion's `.limit()`): its next
 * page would be a request on the comment or media itself, which the IG Comment reference rules out
 * for what the Mentions API found ("Requests cannot be performed on comments discovered through the
 * Mentions API unless the request is made by the comment owner"). On a post with more comments than that, a
 * reply of ours that is not on the first page is not found, and the reply is sent again.
 */
async function findMentionReply(
  graph: MetaGraphClient,
  req: OutboundRequest,
  t: MetaTarget,
  token: string,
): Promise<SendResult | null> {
  const commentId = mentionedCommentId(t);
  const [kind, id, edge] = commentId
    ? (['comment', commentId, 'replies'] as const)
    : (['media', t.mediaId!, 'comments'] as const);
  const mentioned = await readMentioned<Partial<Record<typeof edge, GraphList<IgComment>>>>(
    graph,
    t.igUserId,
    token,
    kind,
    id,
    `${edge}.limit(${PAGE_LIMIT}){${IG_OWN_COMMENT_FIELDS}}`,
  );
  return newestOwnIgComment(mentioned?.[edge]?.data, t.igUserId, req.body);
}

/**
 * The private reply this outbound row made to its comment, if Meta has it. Facebook: the comment's
 * `private_reply_conversation`, a Conversation (Graph API Comment reference: "For comments with
 * private replies, gets conversation between the Page and author of the comment (Page viewers
 * only)"), whose `messages` are "Messages within the conversation" (Conversation reference).
 * Instagram comments have no such field, but their author's id is an Instagram-scoped id, so the
 * conversation with them is read by user_id. Throws what the Graph API answers (meta-send handles
 * 10900 with it).
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

/** The account's newest of these Instagram comments (by `timestamp`), if it is the text sent. */
function newestOwnIgComment(
  comments: IgComment[] | undefined,
  igUserId: string,
  body: string,
): SendResult | null {
  const own = (comments ?? []).filter((c) => c.user?.id === igUserId);
  const newestOwn = own.sort((a, b) => graphMillis(b.timestamp) - graphMillis(a.timestamp))[0];
  return found(newestOwn, newestOwn?.text, body);
}

function found(item: { id?: string } | undefined, text: string | undefined, body: string): SendResult | null {
  return item?.id && sameSentText(text, body) ? { externalId: item.id } : null;
}

/** A Graph time in ms for sorting; 0 when absent or unreadable. */
const graphMillis = (value: string | undefined) => fromGraphTime(value)?.getTime() ?? 0;

const enc = (id: string) => encodeURIComponent(id);
