import { Platform } from '../../platform';
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
  /** An Instagram account's target (its messaging goes through the linked Page: messagingAccount). */
  instagram: boolean;
  /** When the customer last wrote (ISO 8601), for Messenger's messaging windows; null if unknown. */
  customerLastMessageAt: string | null;
}

/**
 * Reads `OutboundRequest.target`. The full replyContext written by normalize() carries `surface` and
 * every id; the outbox may instead pass only what the inbox keeps (`externalId`, `threadKey`,
 * `recipientId`), so each field falls back to the thread key (`comment:<post>:<top-level>`,
 * `dm:<customer>`, `mention:<id>`) and the channel's platform, else the id's shape: Facebook comment
 * ids are `<object id>_<comment id>` (Graph API "Comment" node), Instagram comment ids plain numbers.
 */
export function metaTarget(req: OutboundRequest): MetaTarget {
  const t = req.target;
  const threadKey = t.threadKey ?? '';
  const commentThread = /^comment:(.+):([^:]+)$/.exec(threadKey);
  const dmThread = /^dm:(.+)$/.exec(threadKey);
  const commentId = t.commentId ?? t.externalId ?? (commentThread ? commentThread[2] : null);
  const onPlatform = req.platform;
  let surface = (t.surface as MetaSurface | undefined) ?? null;
  if (!surface) {
    const instagram = onPlatform
      ? onPlatform === Platform.INSTAGRAM
      : commentThread
        ? !(commentId ?? '').includes('_')
        : false;
    if (commentThread) surface = instagram ? 'ig_comment' : 'fb_comment';
    else if (dmThread || t.recipientId) surface = instagram ? 'ig_dm' : 'messenger';
    else if (threadKey.startsWith('mention:')) surface = 'ig_mention';
  }
  return {
    surface,
    commentId,
    topLevelCommentId: t.topLevelCommentId ?? (commentThread ? commentThread[2] : null) ?? commentId,
    recipientId: t.recipientId ?? t.psid ?? t.igsid ?? (dmThread ? dmThread[1] : null),
    mediaId: t.mediaId ?? null,
    igUserId: t.igUserId ?? req.externalAccountId,
    instagram: onPlatform === Platform.INSTAGRAM || (surface?.startsWith('ig_') ?? false),
    customerLastMessageAt: t.customerLastMessageAt ?? null,
  };
}

/**
 * The comment a mention reply answers (POST /{ig-user-id}/mentions `comment_id`), or null for a
 * caption mention, whose reply is a comment on the media itself. A caption mention's only id is the
 * media's, so a commentId equal to mediaId is the media.
 */
export function mentionedCommentId(t: MetaTarget): string | null {
  return t.commentId && t.commentId !== t.mediaId ? t.commentId : null;
}

/**
 * The account in Send API and Conversations API paths. Caredesk uses Instagram with Facebook Login
 * (graph.facebook.com, a Page access token): there Instagram messaging — DMs, private replies, the
 * conversation read-back — goes through the Facebook Page linked to the Instagram account, not the
 * Instagram user id (Instagram Messaging "Send a Message": "the ID for the Facebook Page linked to your
 * Instagram Professional account"; `/{ig-user-id}/messages` exists only on graph.instagram.com with
 * Instagram Login). So: the linked Page id when the channel stores it (`extra.pageId`), else `me`,
 * which a Page token resolves to that Page. A Facebook Page channel's own id is its Page.
 */
export function messagingAccount(req: OutboundRequest, t: MetaTarget): string {
  if (!t.instagram) return req.externalAccountId;
  const extra = req.credentials.extra as Record<string, unknown> | undefined;
  return typeof extra?.pageId === 'string' && extra.pageId !== '' ? extra.pageId : 'me';
}
