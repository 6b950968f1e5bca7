/**
 * A rendered mail, exactly what the worker hands to SMTP. Jobs carry the finished message (never a
 * RequestContext or ids to re-read), so a retry sends the same text even if the data changed since.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export const MAIL_JOB = 'send';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes user-supplied text (agency and brand names) before it goes into a mail's HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * The one layout for transactional mail: some paragraphs and one call-to-action link, as plain text
 * and as simple HTML with the same words.
 */
export function renderActionMail(input: {
  to: string;
  subject: string;
  paragraphs: string[];
  actionLabel: string;
  actionUrl: string;
  footer?: string;
}): MailMessage {
  const text = [
    ...input.paragraphs,
    `${input.actionLabel}: ${input.actionUrl}`,
    ...(input.footer ? [input.footer] : []),
  ]
    .join('\n\n')
    .concat('\n');
  const url = escapeHtml(input.actionUrl);
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    ...input.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${url}">${escapeHtml(input.actionLabel)}</a></p>`,
    `<p style="color:#666;font-size:small">${url}</p>`,
    ...(input.footer ? [`<p style="color:#666;font-size:small">${escapeHtml(input.footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
  return { to: input.to, subject: input.subject, text, html };
}
