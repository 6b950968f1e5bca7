import { Attachment, NormalizedEvent, NormalizedMessage } from '../connector';
import { FeedCommentValue, IgCommentValue, IgMentionValue, MetaChange } from './meta.types';
import { fromGraphTime, fromUnix, str } from './meta-normalize.util';

/**
 * Facebook Page `feed` changes (Graph API webhooks reference, Page → feed). Only `item: comment` is
 * a conversation; posts, reactions, shares… are not. Facebook comments have two levels: a reply to
 * a reply is attached to the top-level comment, whose id is `parent_id` unless that is the post.
 */
export function normalizeFeedChange(pageId: string, change: MetaChange, entryTime: Date): NormalizedEvent[] {
  const v = (change.value ?? {}) as FeedCommentValue;
  if (change.field !== 'feed' || v.item !== 'comment') return [];
  const commentId = str(v.comment_id);
  const postId = str(v.post_id);
  if (!commentId || !postId) return [];
  const occurredAt = fromUnix(v.created_time) ?? entryTime;
  if (v.verb === 'edited')
    return [{ type: 'edit', externalId: commentId, body: v.message ?? '', occurredAt }];
  if (v.verb === 'remove') return [{ type: 'deletion', externalId: commentId, occurredAt }];
  if (v.verb !== 'add') return []; // hide/unhide echo our own moderation; the outbox already recorded it
  const parentId = str(v.parent_id);
  const isReply = !!parentId && parentId !== postId;
  const topLevelId = isReply ? parentId : commentId;
  const authorId = str(v.from?.id) ?? '';
  const own = authorId === pageId;
  const message: NormalizedMessage = {
    type: 'message',
    kind: 'COMMENT',
    // The Page commenting from Facebook itself (not through Caredesk): recorded as the brand's answer,
    // with no customer (the Page is no contact of its own; the thread's customer is).
    direction: own ? 'OUTBOUND' : 'INBOUND',
    visibility: 'PUBLIC',
    externalId: commentId,
    threadKey: `comment:${postId}:${topLevelId}`,
    parentExternalId: isReply ? parentId : null,
    customer: own
      ? null
      : {
          externalUserId: authorId,
          username: null,
          displayName: v.from?.name ?? null,
          avatarUrl: null,
        },
    body: v.message ?? '',
    subject: null,
    rating: null,
    attachments: feedAttachments(v),
    occurredAt,
    replyContext: {
      surface: 'fb_comment',
      pageId,
      postId,
      commentId,
      topLevelCommentId: topLevelId,
      authorId,
    },
  };
  return [message];
}

function feedAttachments(v: FeedCommentValue): Attachment[] {
  const out: Attachment[] = [];
  if (v.photo) out.push({ type: 'IMAGE', url: v.photo, name: null, size: null, mimeType: null });
  if (v.video) out.push({ type: 'VIDEO', url: v.video, name: null, size: null, mimeType: null });
  return out;
}

/**
 * Instagram `comments` and `mentions` changes (Graph API webhooks reference, Instagram). Instagram
 * replies are one level deep too: `parent_id` is the top-level comment.
 */
export function normalizeInstagramChange(
  igUserId: string,
  change: MetaChange,
  entryTime: Date,
): NormalizedEvent[] {
  // `live_comments`: comments on a live video, same value shape (Instagram webhook examples).
  if (change.field === 'comments' || change.field === 'live_comments')
    return igComment(igUserId, (change.value ?? {}) as IgCommentValue, entryTime);
  if (change.field === 'mentions')
    return igMention(igUserId, (change.value ?? {}) as IgMentionValue, entryTime);
  return [];
}

function igComment(igUserId: string, v: IgCommentValue, occurredAt: Date): NormalizedEvent[] {
  const commentId = str(v.id);
  const mediaId = str(v.media?.id);
  if (!commentId || !mediaId) return [];
  const parentId = str(v.parent_id);
  const topLevelId = parentId ?? commentId;
  const authorId = str(v.from?.id) ?? '';
  const own = authorId === igUserId;
  return [
    {
      type: 'message',
      kind: 'COMMENT',
      // The account's own comment or reply made in the Instagram app (no customer: see FB above).
      direction: own ? 'OUTBOUND' : 'INBOUND',
      visibility: 'PUBLIC',
      externalId: commentId,
      threadKey: `comment:${mediaId}:${topLevelId}`,
      parentExternalId: parentId,
      customer: own
        ? null
        : {
            externalUserId: authorId,
            username: v.from?.username ?? null,
            displayName: null,
            avatarUrl: null,
          },
      body: v.text ?? '',
      subject: null,
      rating: null,
      attachments: [],
      occurredAt,
      replyContext: {
        surface: 'ig_comment',
        igUserId,
        mediaId,
        commentId,
        topLevelCommentId: topLevelId,
        authorId,
      },
    },
  ];
}

/**
 * A mention notification carries only ids (Instagram "Mentions" guide); MetaConnector.hydrate reads
 * the comment or the captioned media it names and adds it to the value (`mentioned_comment` /
 * `mentioned_media`), so the message has the text, the author's username and the time it was written.
 * The Graph API names the author by username only (no IGSID), so the contact's identity is
 * `username:<name>`. Without hydration (a payload stored before it existed) the body stays empty and
 * the author is a per-mention placeholder; the thread and the reply path (POST /{ig-user-id}/mentions)
 * work either way.
 */
function igMention(igUserId: string, v: IgMentionValue, entryTime: Date): NormalizedEvent[] {
  const mediaId = str(v.media_id);
  const commentId = str(v.comment_id);
  const id = commentId ?? mediaId;
  if (!id) return [];
  const replyContext: Record<string, string> = { surface: 'ig_mention', igUserId };
  if (mediaId) replyContext.mediaId = mediaId;
  if (commentId) replyContext.commentId = commentId;
  const comment = commentId ? v.mentioned_comment : undefined;
  const media = commentId ? undefined : v.mentioned_media;
  const username = str(comment?.username ?? media?.username);
  const attachments: Attachment[] = [];
  if (media && (media.media_url || media.permalink)) {
    attachments.push({
      type: media.media_type === 'VIDEO' ? 'VIDEO' : media.media_type === 'IMAGE' ? 'IMAGE' : 'LINK',
      url: media.media_url ?? media.permalink ?? null,
      name: null,
      size: null,
      mimeType: null,
    });
  }
  return [
    {
      type: 'message',
      kind: 'MENTION',
      direction: 'INBOUND',
      visibility: 'PUBLIC',
      externalId: id,
      threadKey: `mention:${id}`,
      parentExternalId: null,
      customer: {
        externalUserId: username ? `username:${username}` : `mention:${id}`,
        username,
        displayName: null,
        avatarUrl: null,
      },
      body: comment?.text ?? media?.caption ?? '',
      subject: null,
      rating: null,
      attachments,
      occurredAt: fromGraphTime(comment?.timestamp ?? media?.timestamp) ?? entryTime,
      replyContext,
    },
  ];
}
