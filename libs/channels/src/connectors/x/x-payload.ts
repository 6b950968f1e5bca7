/**
 * The parts of an X Account Activity API delivery we read (docs.x.com, Account Activity API
 * "Data objects"): tweets arrive in the v1.1 tweet format, DMs as v1.1 `message_create` events with
 * a `users` map beside them. v1.1 tweets carry no `conversation_id` (a v2 field): threading follows
 * `in_reply_to_status_id_str` instead (x-normalize.ts).
 */
export interface XUser {
  id_str?: string;
  id?: string;
  screen_name?: string;
  name?: string;
  profile_image_url_https?: string;
}

export interface XMedia {
  id_str?: string;
  type?: string; // photo | video | animated_gif
  media_url_https?: string;
  url?: string;
}

export interface XTweet {
  id_str: string;
  created_at?: string;
  timestamp_ms?: string;
  text?: string;
  full_text?: string;
  extended_tweet?: { full_text?: string; extended_entities?: { media?: XMedia[] } };
  user: XUser;
  in_reply_to_status_id_str?: string | null;
  in_reply_to_user_id_str?: string | null;
  in_reply_to_screen_name?: string | null;
  entities?: { user_mentions?: { id_str: string; screen_name?: string }[] };
  extended_entities?: { media?: XMedia[] };
  quoted_status?: { user?: XUser };
  retweeted_status?: unknown;
}

export interface XDirectMessageEvent {
  type: string; // message_create
  id: string;
  created_timestamp: string;
  message_create: {
    target: { recipient_id: string };
    sender_id: string;
    message_data: { text?: string; attachment?: { type: string; media?: XMedia } };
  };
}

export interface XTweetDeleteEvent {
  status: { id: string; user_id: string };
  timestamp_ms: string;
}

/** The Account Activity delivery body: one subscribed account, arrays of events. */
export interface XActivityBody {
  for_user_id?: string;
  tweet_create_events?: XTweet[];
  direct_message_events?: XDirectMessageEvent[];
  tweet_delete_events?: XTweetDeleteEvent[];
  users?: Record<string, XUser>;
}

/** What one stored inbound_events row holds for X: one event plus the users it names. */
export type XDeliveryPayload =
  | { kind: 'tweet_create'; tweet: XTweet }
  | { kind: 'direct_message'; event: XDirectMessageEvent; users: Record<string, XUser> }
  | { kind: 'tweet_delete'; event: XTweetDeleteEvent };
