import { createTransport } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { ConnectorError, OutboundRequest, SendResult } from '../connector';

/**
 * The channel's outgoing SMTP server, from what connectChannel sealed: `extra.smtpUrl`
 * (`smtps://user:pass@host:465`), or `extra.smtpHost` / `smtpPort` / `smtpUser` / `smtpPassword`
 * (`smtpSecure` = "true" for implicit TLS).
 */
export function smtpOptions(
  credentials: Record<string, unknown>,
  timeoutMs: number,
): SMTPTransport.Options | string {
  const extra = (credentials.extra ?? {}) as Record<string, string>;
  const timeouts = { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs };
  if (extra.smtpUrl) {
    const url = new URL(extra.smtpUrl);
    for (const [k, v] of Object.entries(timeouts)) url.searchParams.set(k, String(v));
    return url.toString();
  }
  if (extra.smtpHost) {
    return {
      host: extra.smtpHost,
      port: extra.smtpPort ? Number(extra.smtpPort) : 587,
      secure: extra.smtpSecure === 'true',
      auth: extra.smtpUser ? { user: extra.smtpUser, pass: extra.smtpPassword ?? '' } : undefined,
      ...timeouts,
    };
  }
  throw new ConnectorError('AUTH_EXPIRED', 'Email channel has no SMTP server configured');
}

/**
 * A Message-ID derived from the outbound row's idempotency key: a resend after a lost answer carries
 * the same id, so our own intake (a BCC copy) and receivers that de-duplicate by Message-ID see one
 * mail, and the reply can be recognised in the thread when it comes back in References.
 */
export function outboundMessageId(idempotencyKey: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1] || 'caredesk.invalid';
  return `caredesk.${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '-')}@${domain}`;
}

const bracket = (id: string) => `<${id}>`;

/**
 * The reply's References: the answered mail's References and its Message-ID (its replyContext), with
 * the conversation's root first when the customer's client trimmed it away — the whole chain known so
 * far, so whichever entries the customer's next client keeps, one of them is stored (threading joins
 * the conversation of any stored ancestor). The root is the thread key's Message-ID: `email:<root>`, or
 * `email:<root> <customer address>` for a customer's own thread off a shared root (Message-IDs hold no
 * whitespace, RFC 5322 §3.6.4).
 */
export function replyReferences(threadKey: string | undefined, chain: (string | undefined)[]): string[] {
  const root = threadKey?.startsWith('email:') ? threadKey.slice('email:'.length).split(' ')[0] : undefined;
  return [...new Set([root, ...chain].filter((id): id is string => !!id))];
}

export function replySubject(subject: string | undefined): string {
  const s = (subject ?? '').trim();
  if (!s) return 'Re: your message';
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}

/** REPLY and EMAIL through nodemailer; threading headers from the answered mail's replyContext. */
export async function sendEmail(request: OutboundRequest, timeoutMs: number): Promise<SendResult> {
  const t = request.target;
  // replyContext fields when the send worker passes them; otherwise what every target has: the
  // answered message's id (its Message-ID), its author (the customer's address) and the thread key.
  const to = t.replyTo ?? t.to ?? t.recipientId;
  if (!to || !to.includes('@')) throw new ConnectorError('REJECTED', 'No recipient address for the email');
  const from = request.externalAccountId;
  const extra = (request.credentials.extra ?? {}) as Record<string, string>;
  const messageId = outboundMessageId(request.idempotencyKey, from);
  const inReplyTo = t.messageId ?? t.externalId;
  const references = replyReferences(t.threadKey, t.references ? t.references.split(/\s+/) : [inReplyTo]);
  const transport = createTransport(smtpOptions(request.credentials, timeoutMs));
  try {
    await transport.sendMail({
      from: extra.fromName ? { name: extra.fromName, address: from } : from,
      to,
      subject: replySubject(t.subject),
      text: request.body,
      messageId: bracket(messageId),
      inReplyTo: inReplyTo ? bracket(inReplyTo) : undefined,
      references: references.length ? references.map(bracket) : undefined,
    });
  } catch (e) {
    throw smtpError(e);
  } finally {
    transport.close();
  }
  return { externalId: messageId };
}

/**
 * nodemailer errors carry the SMTP reply code (`responseCode`) or a transport code (`code`):
 * authentication failures (EAUTH, 530/534/535) need the channel reconnected; 4xx replies are
 * temporary by definition (RFC 5321 §4.2.1) and connection problems are retried; other 5xx are final.
 */
export function smtpError(e: unknown): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const err = e as { code?: string; responseCode?: number; message?: string };
  const message = `SMTP: ${err.message ?? String(e)}`;
  const reply = err.responseCode;
  if (err.code === 'EAUTH' || reply === 530 || reply === 534 || reply === 535) {
    return new ConnectorError('AUTH_EXPIRED', message);
  }
  if (reply !== undefined && reply >= 400 && reply < 500) return new ConnectorError('TRANSIENT', message);
  if (reply !== undefined && reply >= 500) return new ConnectorError('REJECTED', message);
  if (err.code === 'EENVELOPE' || err.code === 'EMESSAGE') return new ConnectorError('REJECTED', message);
  return new ConnectorError('TRANSIENT', message);
}
