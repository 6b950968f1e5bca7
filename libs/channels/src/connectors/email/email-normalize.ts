import { Attachment, NormalizedEvent } from '../connector';
import { EmailPayload } from './email-delivery';

/**
 * The root of the mail's thread: the first References entry (RFC 5322 §3.6.4: References lists the
 * thread from its start), else the message it replies to, else itself. Our replies carry the
 * customer's References plus the mail answered, so the customer's next reply keeps the same root.
 */
export function threadRoot(mail: Pick<EmailPayload, 'references' | 'inReplyTo' | 'messageId'>): string {
  return mail.references[0] ?? mail.inReplyTo[0] ?? mail.messageId;
}

function attachmentType(mimeType: string): Attachment['type'] {
  if (mimeType.startsWith('image/')) return 'IMAGE';
  if (mimeType.startsWith('video/')) return 'VIDEO';
  if (mimeType.startsWith('audio/')) return 'AUDIO';
  return 'FILE';
}

/**
 * A mail → one EMAIL message. Mail from the channel's own address (a copy of what the brand sent
 * from another client) is OUTBOUND, and its customer is the first other recipient.
 */
export function normalizeEmail(channelAddress: string, mail: EmailPayload): NormalizedEvent[] {
  const own = channelAddress.trim().toLowerCase();
  const outbound = mail.from?.address === own;
  const customer = outbound ? ([...mail.to, ...mail.cc].find((a) => a.address !== own) ?? null) : mail.from;
  if (!customer) return []; // no sender and no other party: nothing the inbox could answer
  const references = [...mail.references];
  if (!references.includes(mail.messageId)) references.push(mail.messageId);
  return [
    {
      type: 'message',
      kind: 'EMAIL',
      direction: outbound ? 'OUTBOUND' : 'INBOUND',
      visibility: 'PRIVATE',
      externalId: mail.messageId,
      threadKey: `email:${threadRoot(mail)}`,
      parentExternalId: mail.inReplyTo[0] ?? null,
      customer: {
        externalUserId: customer.address,
        username: customer.address,
        displayName: customer.name,
        avatarUrl: null,
      },
      body: mail.text,
      subject: mail.subject,
      rating: null,
      attachments: mail.attachments.map((a) => ({
        type: attachmentType(a.mimeType),
        url: null,
        name: a.name,
        size: a.size,
        mimeType: a.mimeType,
        contentId: a.contentId ?? null,
      })),
      occurredAt: new Date(mail.date),
      // What a reply needs (RFC 5322 §3.6.4): In-Reply-To this id, References the thread so far.
      replyContext: {
        messageId: mail.messageId,
        references: references.join(' '),
        subject: mail.subject ?? '',
        replyTo: customer.address,
      },
    },
  ];
}
