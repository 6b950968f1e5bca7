import { NormalizedEvent } from '../connector';

/**
 * The webhook envelope (TikTok for Developers, "Webhook Events" → "Webhook Structure"):
 * `content` is a serialized JSON string of the event's own fields.
 */
export interface TikTokWebhook {
  client_key: string;
  event: string;
  create_time: number;
  user_openid: string;
  content: string;
  /** Present on some deliveries; when it is, it is the idempotency key. */
  event_id?: string;
}

/**
 * `comment.update` content (TikTok API for Business, Accounts API webhooks, event_type COMMENT):
 * fired within minutes of a comment or reply being created, deleted or changing visibility on an
 * owned video. Ids are documented as numbers larger than 2^53, so they are read as strings
 * (`parseContent`). `parent_comment_id` is present only for `comment_type` "reply"; TikTok threads
 * are one level deep, so a reply's parent is always the top-level comment. `unique_identifier`
 * identifies the commenter consistently across the Business APIs. `username`, `display_name`,
 * `avatar_url` and `owner` are the fields of the comment list API, carried when present.
 */
export interface TikTokCommentContent {
  comment_id: string;
  video_id: string;
  parent_comment_id?: string;
  comment_type?: 'comment' | 'reply';
  comment_action: 'insert' | 'delete' | 'set_to_hidden' | 'set_to_friends_only' | 'set_to_public';
  unique_identifier?: string;
  /** Milliseconds. */
  timestamp?: number;
  text?: string;
  username?: string;
  display_name?: string;
  avatar_url?: string;
  /** True when the business account itself wrote the comment. */
  owner?: boolean;
}

/** What one inbound_events row holds for TikTok: the envelope with `content` parsed. */
export interface TikTokPayload {
  event: string;
  create_time: number;
  user_openid: string;
  content: TikTokCommentContent;
}

export const COMMENT_EVENT = 'comment.update';

const ID_FIELDS = /"(comment_id|video_id|parent_comment_id|item_id)"\s*:\s*(-?\d+)/g;

/** JSON.parse with TikTok's numeric ids quoted first: 7247303576418566913 is not a safe double. */
export function parseTikTokJson<T>(json: string): T {
  return JSON.parse(json.replace(ID_FIELDS, '"$1":"$2"')) as T;
}

export function parseContent(content: string): TikTokCommentContent {
  return parseTikTokJson<TikTokCommentContent>(content);
}

const isTopLevel = (c: TikTokCommentContent) =>
  c.comment_type !== 'reply' || !c.parent_comment_id || c.parent_comment_id === '0';

/**
 * insert → a COMMENT in the thread of its top-level comment on that video (`comment:<video>:<top>`);
 * delete → a deletion. Visibility changes (hidden, friends only, public again) have no normalized
 * form yet and produce nothing. The business's own comments are OUTBOUND: `owner` says so when the
 * delivery carries it, which is not always; otherwise the author being the channel's own account
 * (`accountId`, the business account's id stored at connect time and named by `user_openid`) does.
 */
export function normalizeTikTok(payload: TikTokPayload, accountId?: string): NormalizedEvent[] {
  const c = payload.content;
  const occurredAt = new Date(c.timestamp ?? payload.create_time * 1000);
  if (c.comment_action === 'delete') return [{ type: 'deletion', externalId: c.comment_id, occurredAt }];
  if (c.comment_action !== 'insert') return [];
  const parent = isTopLevel(c) ? null : c.parent_comment_id!;
  const threadRoot = parent ?? c.comment_id;
  const ownAccount = accountId ?? payload.user_openid;
  const outbound = c.owner === true || (!!c.unique_identifier && c.unique_identifier === ownAccount);
  return [
    {
      type: 'message',
      kind: 'COMMENT',
      direction: outbound ? 'OUTBOUND' : 'INBOUND',
      visibility: 'PUBLIC',
      externalId: c.comment_id,
      threadKey: `comment:${c.video_id}:${threadRoot}`,
      parentExternalId: parent,
      // The commenter; without one (a deleted account) the comment is its own anonymous author. Our
      // own comment has none: the business is no contact of its own.
      customer: outbound
        ? null
        : {
            externalUserId: c.unique_identifier ?? `comment:${c.comment_id}`,
            username: c.username ?? null,
            displayName: c.display_name ?? null,
            avatarUrl: c.avatar_url ?? null,
          },
      body: c.text ?? '',
      subject: null,
      rating: null,
      attachments: [],
      occurredAt,
      // A reply to a reply is posted under the top-level comment: TikTok has no deeper threads.
      replyContext: { videoId: c.video_id, commentId: threadRoot },
    },
  ];
}
