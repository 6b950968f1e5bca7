import { createHash } from 'node:crypto';
import { Platform } from '../../platform';
import { InboundContent, InboundDelivery } from '../connector';
import { MailAddress } from './mime/headers';
import { parseMail } from './mime/parse-mail';

/** The largest mail accepted (announced in EHLO SIZE, RFC 1870); common providers' limit. */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;

/** An attachment as the event row names it: its bytes live in attachment_contents under `contentId`. */
export interface EmailAttachmentRef {
  name: string | null;
  size: number;
  mimeType: string;
  /** SHA-256 (hex) of the decoded bytes. */
  contentId: string;
}

/**
 * What one inbound_events row holds for an email: the parsed mail, not its source. Attachment bytes
 * travel beside it (InboundDelivery.contents → attachment_contents), so a 20 MB PDF costs a few
 * hundred bytes of jsonb in the event, and the worker does not parse MIME again.
 */
export interface EmailPayload {
  /** The connected mailbox this copy was delivered to (lower-case): the channel's account id. */
  recipient: string;
  messageId: string;
  inReplyTo: string[];
  references: string[];
  subject: string | null;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  /** ISO 8601; the Date header, else the time we received the mail. */
  date: string;
  text: string;
  /** Absent `contentId`: stored before attachment bytes were kept (nothing to download). */
  attachments: Array<Omit<EmailAttachmentRef, 'contentId'> & { contentId?: string }>;
}

/**
 * One delivery per connected mailbox the mail was addressed to (an envelope can name two brands'
 * addresses). The key is `<mailbox> <Message-ID>`: the Message-ID makes an SMTP retry or a relayed
 * duplicate one row, and the mailbox keeps the copies of one mail to two mailboxes of the same agency
 * apart (inbound_events is unique per agency and platform). A mail without a Message-ID (RFC 5322
 * makes it only "SHOULD") is keyed by a hash of its bytes.
 */
export function emailDeliveries(
  raw: Buffer,
  recipients: string[],
  receivedAt = new Date(),
): InboundDelivery[] {
  const mail = parseMail(raw);
  const messageId =
    mail.messageId ?? `sha256-${createHash('sha256').update(raw).digest('hex')}@caredesk.invalid`;
  const unique = [...new Set(recipients.map((r) => r.trim().toLowerCase()).filter(Boolean))];
  const attachments: EmailAttachmentRef[] = [];
  const contents = new Map<string, InboundContent>();
  for (const a of mail.attachments) {
    const sha256 = createHash('sha256').update(a.content).digest('hex');
    attachments.push({ name: a.name, size: a.size, mimeType: a.mimeType, contentId: sha256 });
    if (!contents.has(sha256)) contents.set(sha256, { sha256, mimeType: a.mimeType, bytes: a.content });
  }
  return unique.map((recipient) => {
    const payload: EmailPayload = {
      recipient,
      messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      subject: mail.subject,
      from: mail.from,
      to: mail.to,
      cc: mail.cc,
      date: (mail.date ?? receivedAt).toISOString(),
      text: mail.text,
      attachments,
    };
    return {
      platform: Platform.EMAIL,
      externalAccountId: recipient,
      eventKey: `${recipient} ${messageId}`,
      payload,
      ...(contents.size > 0 ? { contents: [...contents.values()] } : {}),
    };
  });
}
