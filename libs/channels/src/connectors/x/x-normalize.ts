import { Attachment, NormalizedEvent, NormalizedMessage } from '../connector';
import { XDeliveryPayload, XDirectMessageEvent, XMedia, XTweet, XUser } from './x-payload';

/**
 * X events → platform-neutral events, from the subscribed account's point of view (`accountId` =
 * the Account Activity `for_user_id`).
 *
 * Mentions: a tweet that @-mentions the account, replies to it or quotes it is a MENTION. The
 * Account Activity API delivers v1.1 tweet objects (docs.x.com, Account Activity API "Data objects"),
 * which carry no `conversation_id`, and a reply chain under one brand tweet holds many customers — so
 * a mention conversation is per customer, not per X conversation:
 * - a customer's tweet is keyed by its own id (`mention:<id>`: each mention its own conversation);
 *   when it answers a tweet we stored (`parentExternalId`, usually our reply to them) threading puts
 *   it in that tweet's conversation instead, if that conversation is the same customer's
 *   (ThreadingService.joinRepliedThreads); delivered before that tweet, its own conversation is merged
 *   into the tweet's once the tweet is stored (inbox threading/stranded-replies.ts);
 * - the brand's own reply is keyed by the tweet it answers, so it lands with that customer tweet even
 *   when it is delivered first; once the answered tweet is stored, threading follows it the same way.
 */
export function normalizeX(accountId: string, payload: XDeliveryPayload): NormalizedEvent[] {
  switch (payload.kind) {
    case 'tweet_create':
      return normalizeTweet(accountId, payload.tweet);
    case 'direct_message':
      return normalizeDm(accountId, payload.event, payload.users ?? {});
    case 'tweet_delete':
      return [
        {
          type: 'deletion',
          externalId: payload.event.status.id,
          occurredAt: fromMillis(payload.event.timestamp_ms),
        },
      ];
    default:
      return [];
  }
}

function normalizeTweet(accountId: string, t: XTweet): NormalizedMessage[] {
  // A retweet adds no words of the customer's to answer.
  if (t.retweeted_status) return [];
  const authorId = userId(t.user);
  const own = authorId === accountId;
  const repliesToAccount = t.in_reply_to_user_id_str === accountId;
  const mentionsAccount = (t.entities?.user_mentions ?? []).some((m) => m.id_str === accountId);
  const quotesAccount = userId(t.quoted_status?.user) === accountId;
  if (!own && !repliesToAccount && !mentionsAccount && !quotesAccount) return [];
  // The brand's own tweet is recorded only as an answer to someone else (so the inbox is the
  // truth); a broadcast tweet or a self-thread is no customer conversation.
  if (own && (!t.in_reply_to_user_id_str || t.in_reply_to_user_id_str === accountId)) return [];

  const root = own ? (t.in_reply_to_status_id_str ?? t.id_str) : t.id_str;
  const customer = own
    ? {
        externalUserId: t.in_reply_to_user_id_str as string,
        username: t.in_reply_to_screen_name ?? null,
        displayName: null,
        avatarUrl: null,
      }
    : person(t.user);
  return [
    {
      type: 'message',
      kind: 'MENTION',
      direction: own ? 'OUTBOUND' : 'INBOUND',
      visibility: 'PUBLIC',
      externalId: t.id_str,
      threadKey: `mention:${root}`,
      parentExternalId: t.in_reply_to_status_id_str ?? null,
      customer,
      body: t.extended_tweet?.full_text ?? t.full_text ?? t.text ?? '',
      subject: null,
      rating: null,
      attachments: (t.extended_tweet?.extended_entities?.media ?? t.extended_entities?.media ?? []).map(
        attachment,
      ),
      occurredAt: t.timestamp_ms ? fromMillis(t.timestamp_ms) : new Date(t.created_at ?? Date.now()),
      replyContext: {
        tweetId: t.id_str,
        authorId: authorId ?? '',
        userId: customer.externalUserId,
        ...(customer.username ? { screenName: customer.username } : {}),
      },
    },
  ];
}

function normalizeDm(
  accountId: string,
  e: XDirectMessageEvent,
  users: Record<string, XUser>,
): NormalizedMessage[] {
  if (e.type !== 'message_create') return [];
  const mc = e.message_create;
  // A DM the account sent (from X's app or another tool) comes back as an event too: the echo.
  const outbound = mc.sender_id === accountId;
  const otherId = outbound ? mc.target.recipient_id : mc.sender_id;
  const media = mc.message_data.attachment?.type === 'media' ? mc.message_data.attachment.media : undefined;
  return [
    {
      type: 'message',
      kind: 'DM',
      direction: outbound ? 'OUTBOUND' : 'INBOUND',
      visibility: 'PRIVATE',
      externalId: e.id,
      threadKey: `dm:${otherId}`,
      parentExternalId: null,
      customer: person(users[otherId] ?? { id_str: otherId }, otherId),
      body: mc.message_data.text ?? '',
      subject: null,
      rating: null,
      attachments: media ? [attachment(media)] : [],
      occurredAt: fromMillis(e.created_timestamp),
      replyContext: { dmEventId: e.id, userId: otherId, recipientId: otherId },
    },
  ];
}

function userId(u: XUser | undefined): string | undefined {
  return u?.id_str ?? (u?.id !== undefined ? String(u.id) : undefined);
}

function person(u: XUser, fallbackId?: string): NonNullable<NormalizedMessage['customer']> {
  return {
    externalUserId: userId(u) ?? (fallbackId as string),
    username: u.screen_name ?? null,
    displayName: u.name ?? null,
    avatarUrl: u.profile_image_url_https ?? null,
  };
}

function attachment(m: XMedia): Attachment {
  return {
    type: m.type === 'video' || m.type === 'animated_gif' ? 'VIDEO' : 'IMAGE',
    url: m.media_url_https ?? m.url ?? null,
    name: null,
    size: null,
    mimeType: null,
  };
}

function fromMillis(ms: string): Date {
  return new Date(Number(ms));
}
