import { Attachment, NormalizedEvent } from '../connector';
import { EmailPayload } from './email-delivery';

/**
 * The root of the mail's thread: the first References entry (RFC 5322 §3.6.4: References lists the
 * thread from its start), else the message it replies to, else itself. Threading keys a conversation
 * by it only when none of the mail's ancestors is stored (ThreadingService): clients trim References,
 * so two mails of one thread may name different first entries.
 */
export function threadRoot(mail: Pick<EmailPayload, 'references' | 'inReplyTo' | 'messageId'>): string {
  return mail.references[0] ?? mail.inReplyTo[0] ?? mail.messageId;
}

/**
 * How many ancestors a mail names for threading: the nearest ones and the root. A client that trims
 * References keeps the first entry and the last few (RFC 5322 §3.6.4 allows trimming; Outlook keeps
 * about that much), and the nearest stored ancestor is almost always among the last few; the cap
 * bounds the advisory locks a batch of mails takes (stranded-replies.ts) and the index entries a mail
 * adds.
 */
export const MAX_THREAD_ANCESTORS = 9;

/**
 * The Message-IDs a mail names as its ancestors, nearest first, as JWZ threading reads them
 * (https://www.jwz.org/doc/threading.html): In-Reply-To (the parent), then References from the last
 * entry backwards; never the mail itself. Capped at MAX_THREAD_ANCESTORS - 1 nearest plus the root.
 */
export function threadAncestors(
  mail: Pick<EmailPayload, 'references' | 'inReplyTo' | 'messageId'>,
): string[] {
  const named = [...new Set([...mail.inReplyTo, ...[...mail.references].reverse()])].filter(
    (id) => id !== mail.messageId,
  );
  if (named.length <= MAX_THREAD_ANCESTORS) return named;
  return [...named.slice(0, MAX_THREAD_ANCESTORS - 1), named[named.length - 1]];
}

/**
 * The References a reply to this mail carries (RFC 5322 §3.6.4): the mail's References, else its
 * In-Reply-To when that names exactly one parent, then the mail's own Message-ID.
 */
function referencesOfReply(mail: Pick<EmailPayload, 'references' | 'inReplyTo' | 'messageId'>): string[] {
  const chain =
    mail.references.length > 0
      ? [...mail.references]
      : mail.inReplyTo.length === 1
        ? [...mail.inReplyTo]
        : [];
  return chain.includes(mail.messageId) ? chain : [...chain, mail.messageId];
}

function attachmentType(mimeType: string): Attachment['type'] {
  if (mimeType.startsWith('image/')) return 'IMAGE';
  if (mimeType.startsWith('video/')) return 'VIDEO';
  if (mimeType.startsWith('audio/')) return 'AUDIO';
  return 'FILE';
}

/**
 * A mail → one EMAIL message. Mail from the channel's own address (a copy of what the brand sent
 * from another client) is OUTBOUND, and its customer is the first other recipient; it also keeps its
 * visible recipients besides the brand (replyContext `mailTo`, `mailCc`: addresses, lower-case,
 * space-separated like `references`), which decide whether a reply to a mail the brand started joins
 * its conversation (personalRecipients, libs/inbox email-threads.rules.ts). BCC recipients are not
 * in the mail, so never among them.
 */
export function normalizeEmail(channelAddress: string, mail: EmailPayload): NormalizedEvent[] {
  const own = channelAddress.trim().toLowerCase();
  const outbound = mail.from?.address === own;
  const customer = outbound ? ([...mail.to, ...mail.cc].find((a) => a.address !== own) ?? null) : mail.from;
  if (!customer) return []; // no sender and no other party: nothing the inbox could answer
  const others = (list: EmailPayload['to']) =>
    [...new Set(list.map((a) => a.address).filter((a) => a !== own))].join(' ');
  const recipients: Record<string, string> = outbound
    ? { mailTo: others(mail.to), mailCc: others(mail.cc) }
    : {};
  return [
    {
      type: 'message',
      kind: 'EMAIL',
      direction: outbound ? 'OUTBOUND' : 'INBOUND',
      visibility: 'PRIVATE',
      externalId: mail.messageId,
      threadKey: `email:${threadRoot(mail)}`,
      parentExternalId: mail.inReplyTo[0] ?? null,
      ancestorExternalIds: threadAncestors(mail),
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
        references: referencesOfReply(mail).join(' '),
        subject: mail.subject ?? '',
        replyTo: customer.address,
        ...recipients,
      },
    },
  ];
}
