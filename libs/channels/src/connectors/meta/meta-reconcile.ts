import { OutboundRequest, SendResult } from '../connector';
import { MetaGraphClient } from './meta-graph.client';
import { metaTarget } from './meta-target';

interface GraphList<T> {
  data?: T[];
}
interface GraphComment {
  id?: string;
  message?: string;
  from?: { id?: string };
}
interface GraphConversation {
  messages?: GraphList<{ id?: string; message?: string; from?: { id?: string } }>;
}

/**
 * After a send whose answer was lost (timeout, connection reset), looks for what Meta may already
 * have created, so a retry does not post the reply twice. Graph API offers no idempotency key, so
 * the test is: the newest thing the Page said in that thread is exactly this text. (An agent sending
 * the very same text twice in a row to one thread is the accepted false positive.)
 * - Facebook comment reply: GET /{top-level-comment-id}/comments, newest first;
 * - DM: GET /{page-or-ig-id}/conversations?user_id=… with its latest messages (Conversations API).
 * Anything else (private replies, Instagram comment replies, mentions) answers null: send again.
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
      return newestOwn?.id && newestOwn.message === req.body ? { externalId: newestOwn.id } : null;
    }
    const isDm = t.surface === 'messenger' || t.surface === 'ig_dm';
    if ((req.action === 'DIRECT_MESSAGE' || req.action === 'REPLY') && isDm && t.recipientId) {
      const res = await graph.call<GraphList<GraphConversation>>(
        'GET',
        `/${enc(req.externalAccountId)}/conversations`,
        token,
        undefined,
        {
          platform: t.surface === 'ig_dm' ? 'instagram' : 'messenger',
          user_id: t.recipientId,
          fields: 'messages.limit(10){id,message,from}',
        },
      );
      const messages = res.data?.[0]?.messages?.data ?? [];
      const newestOwn = messages.find((m) => m.from?.id === req.externalAccountId);
      return newestOwn?.id && newestOwn.message === req.body ? { externalId: newestOwn.id } : null;
    }
  } catch {
    return null;
  }
  return null;
}

const enc = (id: string) => encodeURIComponent(id);
