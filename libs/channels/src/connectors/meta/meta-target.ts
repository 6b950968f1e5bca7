import { OutboundRequest } from '../connector';

export type MetaSurface = 'fb_comment' | 'ig_comment' | 'ig_mention' | 'messenger' | 'ig_dm';

/** What a Graph API call needs to know about the message it answers or moderates. */
export interface MetaTarget {
  surface: MetaSurface | null;
  /** The comment answered / moderated (a reply's own id). */
  commentId: string | null;
  /** Its top-level comment: where a public answer goes (both platforms thread two levels deep). */
  topLevelCommentId: string | null;
  /** PSID / IGSID of a DM customer. */
  recipientId: string | null;
  mediaId: string | null;
  igUserId: string;
}

/**
 * Reads `OutboundRequest.target`. The full replyContext written by normalize() carries `surface` and
 * every id; the outbox may instead pass only what the inbox keeps (`externalId`, `threadKey`,
 * `recipientId`), so each field falls back to the thread key (`comment:<post>:<top-level>`,
 * `dm:<customer>`, `mention:<id>`) and the id's shape: Facebook comment ids are
 * `<object id>_<comment id>` (Graph API "Comment" node), Instagram comment ids are plain numbers.
 */
export function metaTarget(req: OutboundRequest): MetaTarget {
  const t = req.target;
  const threadKey = t.threadKey ?? '';
  const commentThread = /^comment:(.+):([^:]+)$/.exec(threadKey);
  const dmThread = /^dm:(.+)$/.exec(threadKey);
  const commentId = t.commentId ?? t.externalId ?? (commentThread ? commentThread[2] : null);
  let surface = (t.surface as MetaSurface | undefined) ?? null;
  if (!surface) {
    if (commentThread) surface = (commentId ?? '').includes('_') ? 'fb_comment' : 'ig_comment';
    else if (dmThread || t.recipientId)
      surface = 'messenger'; // Messenger and IG DMs use the same Send API call
    else if (threadKey.startsWith('mention:')) surface = 'ig_mention';
  }
  return {
    surface,
    commentId,
    topLevelCommentId: t.topLevelCommentId ?? (commentThread ? commentThread[2] : null) ?? commentId,
    recipientId: t.recipientId ?? t.psid ?? t.igsid ?? (dmThread ? dmThread[1] : null),
    mediaId: t.mediaId ?? null,
    igUserId: t.igUserId ?? req.externalAccountId,
  };
}
