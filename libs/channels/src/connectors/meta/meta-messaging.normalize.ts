import { Platform } from '../../platform';
import { Attachment, NormalizedEvent } from '../connector';
import { MetaMessage, MetaMessagingEvent } from './meta.types';
import { fromEpoch, str } from './meta-normalize.util';

/**
 * Messenger and Instagram messaging events (Messenger Platform webhook events reference: messages,
 * message_echoes, message_edits; Instagram messaging webhooks). Delivery, read and reaction events
 * change no message and are ignored. A DM thread is keyed by the customer: the sender of what they
 * send, the recipient of an echo (what the Page sent from Meta Business Suite or another app).
 */
export function normalizeMessagingEvent(
  platform: Platform,
  accountId: string,
  event: MetaMessagingEvent,
  entryTime: Date,
): NormalizedEvent[] {
  const occurredAt = fromEpoch(event.timestamp) ?? entryTime;
  const edit = event.message_edit;
  if (edit) {
    const mid = str(edit.mid);
    return mid ? [{ type: 'edit', externalId: mid, body: edit.text ?? '', occurredAt }] : [];
  }
  // A button tap reads in the inbox as the customer saying the button's title (Messenger
  // "messaging_postbacks" webhook event); its mid is unique like a message's.
  const m: MetaMessage | undefined = event.postback
    ? { mid: event.postback.mid, text: event.postback.title }
    : event.message;
  const mid = str(m?.mid);
  if (!m || !mid) return [];
  // Instagram "unsend": the message stays in the inbox, marked deleted.
  if (m.is_deleted) return [{ type: 'deletion', externalId: mid, occurredAt }];

  const echo = m.is_echo === true;
  const customerId = str(echo ? event.recipient?.id : event.sender?.id);
  if (!customerId) return [];
  const replyContext: Record<string, string> = {
    surface: platform === Platform.INSTAGRAM ? 'ig_dm' : 'messenger',
    accountId,
    recipientId: customerId,
    mid,
  };
  replyContext[platform === Platform.INSTAGRAM ? 'igsid' : 'psid'] = customerId;
  // Our own sends echo back `metadata` (the outbound idempotency key): lets the outbox reconcile a
  // send whose HTTP answer was lost instead of sending twice.
  if (echo && m.metadata) replyContext.idempotencyKey = m.metadata;
  return [
    {
      type: 'message',
      kind: 'DM',
      direction: echo ? 'OUTBOUND' : 'INBOUND',
      visibility: 'PRIVATE',
      externalId: mid,
      threadKey: `dm:${customerId}`,
      parentExternalId: str(m.reply_to?.mid),
      customer: { externalUserId: customerId, username: null, displayName: null, avatarUrl: null },
      body: m.text ?? '',
      subject: null,
      rating: null,
      attachments: messageAttachments(m),
      occurredAt,
      replyContext,
    },
  ];
}

const TYPES: Record<string, Attachment['type']> = {
  image: 'IMAGE',
  video: 'VIDEO',
  audio: 'AUDIO',
  file: 'FILE',
  fallback: 'LINK',
  share: 'LINK',
  ig_reel: 'VIDEO',
  reel: 'VIDEO',
  story_mention: 'LINK',
};

/**
 * Messenger sends a sticker as an `image` attachment whose payload has `sticker_id` (and the message
 * a top-level `sticker_id`): kept as STICKER so the inbox does not show a thumbs-up as a photo.
 * Templates are our own structured sends: not attachments a customer needs to see.
 */
function messageAttachments(m: MetaMessage): Attachment[] {
  const out: Attachment[] = [];
  for (const a of m.attachments ?? []) {
    if (!a || a.type === 'template') continue;
    const sticker = a.payload?.sticker_id !== undefined || (a.type === 'image' && m.sticker_id !== undefined);
    const type = sticker ? 'STICKER' : (TYPES[a.type ?? ''] ?? 'FILE');
    out.push({
      type,
      url: a.payload?.url ?? null,
      name: a.payload?.title ?? null,
      size: null,
      mimeType: null,
    });
  }
  return out;
}
