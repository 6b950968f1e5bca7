/**
 * The parts of Meta's webhook payloads the connector reads. Shapes from the Graph API webhooks
 * reference (Page `feed`, Instagram `comments` / `mentions`) and the Messenger Platform webhook
 * events reference (`messages`, `message_echoes`, `message_edits`); everything is optional because
 * Meta adds and omits fields by API version and login type.
 */
export interface MetaDeliveryBody {
  object?: string;
  entry?: MetaEntry[];
}

export interface MetaEntry {
  /** The Page id (object `page`) or the Instagram professional account id (object `instagram`). */
  id?: string;
  /** Milliseconds for Page entries, seconds for some Instagram entries. */
  time?: number;
  changes?: MetaChange[];
  messaging?: MetaMessagingEvent[];
  /** Messenger handover protocol: events for a thread another app owns; read like `messaging`. */
  standby?: MetaMessagingEvent[];
}

export interface MetaChange {
  field?: string;
  value?: Record<string, unknown>;
}

/** Page feed change `value` for item `comment` (Graph API webhooks reference, Page `feed`). */
export interface FeedCommentValue {
  item?: string;
  verb?: 'add' | 'edited' | 'remove' | 'hide' | 'unhide' | string;
  from?: { id?: string; name?: string };
  post_id?: string;
  comment_id?: string;
  parent_id?: string;
  message?: string;
  /** Unix seconds. */
  created_time?: number;
  photo?: string;
  video?: string;
}

/** Instagram `comments` change value (Graph API webhooks reference, Instagram). */
export interface IgCommentValue {
  id?: string;
  text?: string;
  parent_id?: string;
  from?: { id?: string; username?: string; self_ig_scoped_id?: string };
  media?: { id?: string; media_product_type?: string };
}

/**
 * Instagram `mentions` change value: only ids. MetaConnector.hydrate adds what the Graph API answers
 * for them (GET /{ig-user-id}?fields=mentioned_comment… or …mentioned_media…) under the same names
 * as the API's fields, before the event is normalized.
 */
export interface IgMentionValue {
  comment_id?: string;
  media_id?: string;
  /** A comment that @mentions the account (IG Comment fields). */
  mentioned_comment?: IgMentionedComment;
  /** A media whose caption @mentions the account (IG Media fields). */
  mentioned_media?: IgMentionedMedia;
}

export interface IgMentionedComment {
  id?: string;
  text?: string;
  /** ISO 8601 with a +0000 offset, e.g. 2017-05-03T16:09:08+0000. */
  timestamp?: string;
  username?: string;
  media?: { id?: string; permalink?: string };
}

export interface IgMentionedMedia {
  id?: string;
  caption?: string;
  media_type?: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM' | string;
  media_url?: string;
  permalink?: string;
  timestamp?: string;
  username?: string;
}

export interface MetaMessagingEvent {
  sender?: { id?: string };
  recipient?: { id?: string };
  /** Milliseconds. */
  timestamp?: number;
  message?: MetaMessage;
  message_edit?: { mid?: string; text?: string; num_edit?: number };
  /** A tap on a button / quick reply of ours: `title` is what the customer saw and chose. */
  postback?: { mid?: string; title?: string; payload?: string };
  delivery?: unknown;
  read?: unknown;
  reaction?: unknown;
}

export interface MetaMessage {
  mid?: string;
  text?: string;
  is_echo?: boolean;
  /** Instagram: the customer unsent the message. */
  is_deleted?: boolean;
  app_id?: number;
  /** Echoed back from the send request: our idempotency key (see meta-graph.client.ts). */
  metadata?: string;
  sticker_id?: number;
  reply_to?: { mid?: string };
  attachments?: { type?: string; payload?: { url?: string; title?: string; sticker_id?: number } | null }[];
}
