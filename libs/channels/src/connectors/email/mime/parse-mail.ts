import {
  decodeCharset,
  firstHeader,
  HeaderMap,
  headerText,
  MailAddress,
  parseAddressList,
  parseDate,
  parseHeaders,
  parseMessageIds,
  parseParams,
  splitHeaderBody,
} from './headers';
import { htmlToText } from './html-to-text';

export interface MailAttachment {
  name: string | null;
  /** Decoded size in bytes. */
  size: number;
  mimeType: string;
  /** The decoded bytes. */
  content: Buffer;
}

export interface ParsedMail {
  /** Without angle brackets; null when the sender gave none. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  subject: string | null;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  date: Date | null;
  /** text/plain when the mail has one, else its HTML reduced to text. */
  text: string;
  html: string | null;
  attachments: MailAttachment[];
}

interface Part {
  headers: HeaderMap;
  body: string; // binary string: one char per byte
}

/** Parses an RFC 5322 message (with MIME, RFC 2045–2047/2231) from its raw bytes. */
export function parseMail(raw: Buffer | string): ParsedMail {
  const binary =
    typeof raw === 'string' ? Buffer.from(raw, 'utf8').toString('latin1') : raw.toString('latin1');
  const top = toPart(binary);
  const h = (name: string) => firstHeader(top.headers, name);
  const content = {
    text: null as string | null,
    html: null as string | null,
    attachments: [] as MailAttachment[],
  };
  walk(top, content, 0);
  return {
    messageId: parseMessageIds(h('message-id'))[0] ?? null,
    inReplyTo: parseMessageIds(h('in-reply-to')),
    references: parseMessageIds(h('references')),
    subject: h('subject') !== undefined ? headerText(h('subject')!) : null,
    from: parseAddressList(h('from'))[0] ?? null,
    to: parseAddressList(top.headers.get('to')?.join(', ')),
    cc: parseAddressList(top.headers.get('cc')?.join(', ')),
    date: parseDate(h('date')),
    text: (content.text ?? (content.html !== null ? htmlToText(content.html) : '')).replace(/\s+$/, ''),
    html: content.html,
    attachments: content.attachments,
  };
}

function toPart(binary: string): Part {
  const { head, body } = splitHeaderBody(binary);
  return { headers: parseHeaders(head), body };
}

interface Content {
  text: string | null;
  html: string | null;
  attachments: MailAttachment[];
}

/** Nested deeper than this is an attack or a broken mailer, not a customer writing to support. */
const MAX_DEPTH = 20;

function walk(part: Part, content: Content, depth: number): void {
  const type = parseParams(firstHeader(part.headers, 'content-type') ?? 'text/plain; charset=us-ascii');
  const mime = type.value || 'text/plain';
  if (mime.startsWith('multipart/') && type.params.boundary && depth < MAX_DEPTH) {
    const children = splitMultipart(part.body, type.params.boundary).map(toPart);
    if (mime === 'multipart/alternative') return walkAlternative(children, content, depth);
    for (const child of children) walk(child, content, depth + 1);
    return;
  }
  const disposition = parseParams(firstHeader(part.headers, 'content-disposition'));
  const filename = disposition.params.filename ?? type.params.name;
  const bytes = decodeTransfer(part.body, firstHeader(part.headers, 'content-transfer-encoding'));
  const isBodyText =
    (mime === 'text/plain' || mime === 'text/html') && disposition.value !== 'attachment' && !filename;
  if (isBodyText) {
    // Line ends as the inbox stores them: the wire's CRLF is transport, not content.
    let text = decodeCharset(bytes, type.params.charset).replace(/\r\n?/g, '\n');
    if (mime === 'text/plain' && type.params.format?.toLowerCase() === 'flowed') {
      text = unflow(text, type.params.delsp?.toLowerCase() === 'yes');
    }
    // The first body of each kind is the message; later inline text parts (a mixed mail's footer)
    // are rare and appended, so nothing the customer wrote is dropped.
    if (mime === 'text/plain') content.text = content.text === null ? text : `${content.text}\n${text}`;
    else content.html = content.html === null ? text : `${content.html}\n${text}`;
    return;
  }
  content.attachments.push({
    name: filename !== undefined ? headerText(filename) : null,
    size: bytes.length,
    mimeType: mime,
    content: bytes,
  });
}

/** multipart/alternative (RFC 2046 §5.1.4): the same content in several forms; we read text/plain. */
function walkAlternative(children: Part[], content: Content, depth: number): void {
  const sub: Content = { text: null, html: null, attachments: [] };
  for (const child of children) walk(child, sub, depth + 1);
  if (sub.text !== null) content.text = content.text === null ? sub.text : `${content.text}\n${sub.text}`;
  if (sub.html !== null) content.html = content.html === null ? sub.html : `${content.html}\n${sub.html}`;
  // Inline images of an HTML alternative (multipart/related) are still attachments the inbox shows.
  content.attachments.push(...sub.attachments);
}

/** RFC 2046 §5.1.1: parts sit between `--boundary` lines; `--boundary--` closes; preamble/epilogue ignored. */
function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.replace(/[ \t]+$/, ''); // transport padding is allowed after a delimiter
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\r\n'));
      current = trimmed === delimiter ? [] : null;
      if (!current) break;
      continue;
    }
    current?.push(line);
  }
  // A mail cut off before its closing delimiter: keep what arrived.
  if (current && current.length > 0) parts.push(current.join('\r\n'));
  return parts;
}

function decodeTransfer(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, 'latin1');
  }
}

/** RFC 2045 §6.7: `=XX` is a byte, `=` at the end of a line is a soft break, trailing blanks are padding. */
export function decodeQuotedPrintable(body: string): Buffer {
  const text = body
    .replace(/[ \t]+(?=\r?\n)/g, '')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(text, 'latin1');
}

/**
 * format=flowed (RFC 3676 §4.2): a line ending in a space continues on the next line (with DelSp=yes
 * that space was added by the sender and is removed). The signature separator "-- " is never joined;
 * space-stuffing (a leading space added before "From " or ">") is undone.
 */
export function unflow(text: string, delsp: boolean): string {
  const out: string[] = [];
  let current: string | null = null;
  for (let line of text.split('\n')) {
    if (line.startsWith(' ')) line = line.slice(1);
    const soft = line.endsWith(' ') && line !== '-- ';
    const piece = soft && delsp ? line.slice(0, -1) : line;
    current = current === null ? piece : current + piece;
    if (!soft) {
      out.push(current);
      current = null;
    }
  }
  if (current !== null) out.push(current);
  return out.join('\n');
}
