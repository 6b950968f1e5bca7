/**
 * Regex building blocks for the checker. Every pattern here is built from escaped user text — never
 * from raw user text — and uses the `u` flag, so `\p{…}` classes and case folding are Unicode-aware
 * ("ÅPEN" matches "åpen", "ŁÓDŹ" matches "łódź").
 */
import { matchForm } from './normalized-text';

/**
 * A "word" character for whole-word matching. `\b` is ASCII-only even with `u`: it sees a boundary
 * after "å", so a banned "sen" would hit "åsen". \p{M} keeps combining marks (a decomposed "ề")
 * inside the word.
 */
export const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}]';
const WORD_START = new RegExp(`^${WORD_CHAR}`, 'u');
const WORD_END = new RegExp(`${WORD_CHAR}$`, 'u');

/** Escapes the characters that are syntax in a `u`-mode regex (`\-` would be an error there). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * Literal text → pattern: whitespace runs match any whitespace run. The text is put in the matching
 * form (matchForm: NFC, typographic apostrophes and hyphens folded, invisibles removed), the form the
 * checker puts every reply in, so "hoàn tiền" typed composed, decomposed or mixed, and "We’ll" for
 * "we'll", all meet here.
 */
export function literalPattern(text: string): string {
  return matchForm(text).trim().split(/\s+/u).map(escapeRegex).join('\\s+');
}

/**
 * A whole-word, case-insensitive pattern for a phrase: no word character may touch it on either
 * side, but only where the phrase itself starts or ends with a word character ("#ad" may follow a
 * letter-less position, "wow!!" still contains "!!").
 */
export function phrasePattern(phrase: string): string {
  const text = matchForm(phrase).trim();
  const before = WORD_START.test(text) ? `(?<!${WORD_CHAR})` : '';
  const after = WORD_END.test(text) ? `(?!${WORD_CHAR})` : '';
  return `${before}${literalPattern(text)}${after}`;
}

/** `{{ name }}` in a template. */
export const MAX_TEMPLATE_VARIABLES = 2;
export const VARIABLE = /\{\{\s*([A-Za-z]+(?:\.[A-Za-z]+)*)\s*\}\}/g;

/** Longest text a template variable stands for (a name, a brand). */
export const VARIABLE_MAX = 40;

/**
 * A greeting or sign-off template → pattern, each variable a lazy wildcard of up to VARIABLE_MAX
 * characters on one line. Bounded, and at most MAX_TEMPLATE_VARIABLES per template (normalizeRules),
 * so backtracking over a hostile body stays at VARIABLE_MAX² steps per position.
 */
export function templatePattern(template: string): string {
  const parts: string[] = [];
  let last = 0;
  const text = matchForm(template).trim();
  for (const m of text.matchAll(VARIABLE)) {
    const literal = text.slice(last, m.index);
    if (literal.trim()) parts.push(withEdgeSpace(literal));
    else if (literal) parts.push('\\s*');
    parts.push(`[^\\n]{1,${VARIABLE_MAX}}?`);
    last = m.index + m[0].length;
  }
  const tail = text.slice(last);
  if (tail.trim()) parts.push(withEdgeSpace(tail));
  const before = WORD_START.test(text) ? `(?<!${WORD_CHAR})` : '';
  const after = WORD_END.test(text) || /\}\}$/.test(text) ? `(?!${WORD_CHAR})` : '';
  return `${before}${parts.join('')}${after}`;
}

/** Keeps a literal's leading/trailing whitespace as `\s*` (the agent may or may not put a space). */
function withEdgeSpace(literal: string): string {
  const lead = /^\s/u.test(literal) ? '\\s*' : '';
  const trail = /\s$/u.test(literal) ? '\\s*' : '';
  return `${lead}${literalPattern(literal)}${trail}`;
}

/**
 * A rendered emoji as users see it, counted once: a flag (two regional indicators), a keycap, or a
 * pictograph with its variation selector, skin tone and tag characters, joined by ZWJ into one
 * sequence (👩‍👩‍👧 is one emoji). ©, ®, ™, ‼ and ⁉ are Extended_Pictographic but ordinary text unless
 * followed by U+FE0F, so they count only then.
 */
export const EMOJI =
  /\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|(?:(?![\u00A9\u00AE\u2122\u203C\u2049](?!\uFE0F))\p{Extended_Pictographic})(?:\uFE0F|\p{Emoji_Modifier}|[\u{E0020}-\u{E007F}])*(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})*)*/gu;

/** A first cheap test, so a body with no emoji never runs the full scan. */
export const MAY_HAVE_EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u20E3]/u;

/**
 * Fullwidth "！" counts too (Chinese/Japanese input methods), "‼" as two and "⁉" as one; "❗" and
 * "❕" are emoji (the emoji rule's business).
 */
export const EXCLAMATION = /[!\uFF01\u203C\u2049]/g;

/** Code points in `text` (X counts code points, so "😀" is one, not two UTF-16 units). */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The UTF-16 index where code point number `n` (0-based) starts. */
export function codePointOffset(text: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

/** [start, end) of the first (or last) non-blank line, trimmed; [0, 0] for a blank text. */
export function lineSpan(text: string, which: 'first' | 'last'): [number, number] {
  const lines = [...text.matchAll(/[^\n]*\S[^\n]*/gu)];
  const line = which === 'first' ? lines[0] : lines[lines.length - 1];
  if (!line) return [0, 0];
  const lead = line[0].length - line[0].trimStart().length;
  return [line.index + lead, line.index + line[0].trimEnd().length];
}
