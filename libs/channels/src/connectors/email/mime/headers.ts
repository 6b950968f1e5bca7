/**
 * RFC 5322 header parsing. Everything here works on "binary" strings (one char per byte, `latin1`),
 * so that a body's bytes survive until its charset is known; header values are turned into text
 * by `headerText` (RFC 6532 raw UTF-8 and RFC 2047 encoded words).
 */

export interface MailAddress {
  /** Lower-cased: mailbox local parts are case-sensitive in theory, never in practice (RFC 5321 §2.4). */
  address: string;
  name: string | null;
}

/** Header name (lower-cased) → every value in order (Received, for one, repeats). */
export type HeaderMap = Map<string, string[]>;

/** Splits a part into its header block and body at the first empty line (RFC 5322 §2.1). */
export function splitHeaderBody(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  // A part that starts with an empty line has no headers at all.
  if (/^\r?\n/.test(raw)) return { head: '', body: raw.replace(/^\r?\n/, '') };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

/** Unfolds (RFC 5322 §2.2.3: CRLF followed by WSP is a fold) and splits into fields. */
export function parseHeaders(head: string): HeaderMap {
  const headers: HeaderMap = new Map();
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue; // not a field (a stray mbox "From " line, garbage): skip, don't fail the mail
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    const list = headers.get(name);
    if (list) list.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}

export function firstHeader(headers: HeaderMap, name: string): string | undefined {
  return headers.get(name)?.[0];
}

/** Decodes bytes in `charset`, falling back to UTF-8 for a charset the runtime does not know. */
export function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').trim().toLowerCase();
  try {
    return new TextDecoder(label === 'us-ascii' ? 'utf-8' : label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * 8-bit header bytes: UTF-8 when they are valid UTF-8 (RFC 6532), else what old mailers meant by
 * unencoded 8-bit headers, Windows-1252 (a superset of Latin-1), rather than replacement characters.
 */
function rawHeaderText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

/**
 * A header value as text: raw 8-bit bytes are read as UTF-8 (RFC 6532), then RFC 2047 encoded words
 * are decoded. Whitespace between adjacent encoded words is not text (RFC 2047 §6.2), and one
 * character's bytes may be split across two words, so a run of words is decoded as one byte string.
 */
export function headerText(binary: string): string {
  const value = rawHeaderText(Buffer.from(binary, 'latin1'));
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(/(?:=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=)+/g, (run) => {
    let out = '';
    let pending: Buffer[] = [];
    let pendingCharset = '';
    for (const [, charsetSpec, enc, data] of run.matchAll(ENCODED_WORD)) {
      const charset = charsetSpec.split('*')[0]; // RFC 2231 language suffix: "utf-8*en"
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : Buffer.from(
              data
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      if (pending.length > 0 && charset.toLowerCase() !== pendingCharset) {
        out += decodeCharset(Buffer.concat(pending), pendingCharset);
        pending = [];
      }
      pendingCharset = charset.toLowerCase();
      pending.push(bytes);
    }
    return out + (pending.length ? decodeCharset(Buffer.concat(pending), pendingCharset) : '');
  });
}

/** `text/plain; charset="UTF-8"; format=flowed` → value and lower-cased parameter names. */
export function parseParams(value: string | undefined): { value: string; params: Record<string, string> } {
  if (!value) return { value: '', params: {} };
  const parts = splitOutsideQuotes(value, ';');
  const params: Record<string, string> = {};
  const continued: Record<string, string[]> = {};
  for (const p of parts.slice(1)) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    const key = p.slice(0, i).trim().toLowerCase();
    let v = p.slice(i + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    // RFC 2231: name*0=…; name*1=… continuations and name*=utf-8''percent%20encoded values.
    const m = /^([^*]+)\*(\d+)?(\*)?$/.exec(key);
    if (m) {
      const decoded =
        m[3] || (!m[2] && key.endsWith('*')) ? decode2231(v, m[2] !== undefined && m[2] !== '0') : v;
      (continued[m[1]] ??= [])[Number(m[2] ?? 0)] = decoded;
    } else {
      params[key] = v;
    }
  }
  for (const [k, chunks] of Object.entries(continued)) params[k] ??= chunks.join('');
  return { value: parts[0].trim().toLowerCase(), params };
}

function decode2231(v: string, isContinuation: boolean): string {
  const m = isContinuation ? null : /^([^']*)'[^']*'(.*)$/.exec(v);
  const charset = m?.[1] || 'utf-8';
  const data = m ? m[2] : v;
  const bytes = Buffer.from(
    data.replace(/%([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );
  // Back to a binary string of UTF-8: parameter values stay binary until `headerText` reads them.
  return Buffer.from(decodeCharset(bytes, charset), 'utf8').toString('latin1');
}

/** Splits on `sep` outside double quotes, angle brackets and comments. */
export function splitOutsideQuotes(value: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\' && i + 1 < value.length) {
        cur += c + value[++i];
        continue;
      }
      if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if (c === '(') comment++;
    else if (c === ')') comment = Math.max(0, comment - 1);
    else if (c === sep && angle === 0 && comment === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * An address list (RFC 5322 §3.4): `"Doe, Jane" <jane@x.com>, bob@y.org (Bob), team: a@b.c, d@e.f;`.
 * Group names are dropped; their members kept. Entries without an `@` are ignored.
 */
export function parseAddressList(binary: string | undefined): MailAddress[] {
  if (!binary) return [];
  const text = headerText(binary);
  const result: MailAddress[] = [];
  for (let entry of splitOutsideQuotes(text, ',')) {
    entry = entry.trim().replace(/;$/, '');
    const group = /^[^"<>@]*:\s*/.exec(entry); // "undisclosed-recipients:" or "team: a@b.c"
    if (group) entry = entry.slice(group[0].length);
    const angle = /<([^<>]*)>/.exec(entry);
    let address: string;
    let name: string | null;
    if (angle) {
      address = angle[1].trim();
      name = entry.slice(0, angle.index).trim();
    } else {
      const comment = /\(([^()]*)\)/.exec(entry);
      address = entry.replace(/\([^()]*\)/g, '').trim();
      name = comment ? comment[1].trim() : null;
    }
    if (!address.includes('@')) continue;
    name = name
      ? name
          .replace(/^"(.*)"$/s, '$1')
          .replace(/\\(.)/g, '$1')
          .trim()
      : null;
    result.push({ address: address.toLowerCase(), name: name || null });
  }
  return result;
}

/** `<a@b> <c@d>` (References, In-Reply-To) → ['a@b', 'c@d']; ids without brackets are kept too. */
export function parseMessageIds(binary: string | undefined): string[] {
  if (!binary) return [];
  const value = binary.replace(/\([^()]*\)/g, ' ');
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  if (bracketed.length > 0) return bracketed;
  return value.split(/[\s,]+/).filter((id) => id.includes('@'));
}

/** RFC 5322 §3.3 date; null when unreadable (the caller falls back to the time received). */
export function parseDate(binary: string | undefined): Date | null {
  if (!binary) return null;
  const d = new Date(binary.replace(/\([^()]*\)/g, '').trim());
  return Number.isNaN(d.getTime()) ? null : d;
}
