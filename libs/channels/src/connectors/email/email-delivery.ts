import { createHash } from 'node:crypto';
import { Platform } from '../../platform';
import { InboundDelivery } from '../connector';
import { MailAddress } from './mime/headers';
import { MailAttachment, parseMail } from './mime/parse-mail';

/**
 * What one inbound_events row holds for an email: the parsed mail, not its source. Attachment bytes
 * are never stored (issue 3: type, name and size only), so a 20 MB PDF costs a few hundred bytes of
 * jsonb, and the worker does not parse MIME again.
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
  attachments: MailAttachment[];
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
      attachments: mail.attachments,
    };
    return {
      platform: Platform.EMAIL,
      externalAccountId: recipient,
      eventKey: `${recipient} ${messageId}`,
      payload,
    };
  });
}
