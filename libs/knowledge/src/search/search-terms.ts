import { STOPWORDS } from './stopwords';

/** More terms than this add nothing to a ranking but cost index look-ups. */
export const MAX_TERMS = 32;

/**
 * Words as PostgreSQL's default parser sees them closely enough: runs of letters, combining marks
 * and digits, lower-cased, in NFC (so a decomposed "ế" from a phone keyboard equals the composed one).
 * Only letters, marks and digits survive, so the terms can go into to_tsquery without escaping.
 */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
  );
}

/**
 * A poor man's stemmer that works the same for every language: a long word is matched by its first
 * letters (`ordered` → `order:*`, `zamówienia` → `zamówieni:*`), so inflected forms of one word find
 * each other without a per-language dictionary (PostgreSQL has none for Vietnamese or Polish).
 * Words under six letters stay exact: cutting them would match unrelated words.
 */
export function queryTerm(word: string): string {
  const letters = Array.from(word);
  if (letters.length < 6) return word;
  return `${letters.slice(0, Math.max(5, letters.length - 2)).join('')}:*`;
}

/**
 * The to_tsquery text for "what is this message about": its content words OR'ed, so an entry that
 * shares some of a long message's words still matches (plainto_tsquery would AND them all and match
 * nothing). Function words, single letters and bare numbers (order numbers) are left out. Null when
 * nothing is left to search for.
 */
export function suggestionQuery(message: string): string | null {
  const terms = new Set<string>();
  for (const w of words(message)) {
    if (Array.from(w).length < 2 || STOPWORDS.has(w) || /^\p{N}+$/u.test(w)) continue;
    terms.add(queryTerm(w));
    if (terms.size >= MAX_TERMS) break;
  }
  // "order" adds nothing next to "order:*" (from "ordered").
  const prefixes = [...terms].filter((t) => t.endsWith(':*')).map((t) => t.slice(0, -2));
  const kept = [...terms].filter((t) => t.endsWith(':*') || !prefixes.some((p) => t.startsWith(p)));
  return kept.length ? kept.join(' | ') : null;
}

/**
 * The to_tsquery text for a search box: every word must match, each as a prefix (the agent may still
 * be typing). Function words are dropped unless they are all there is. Null for an empty search.
 */
export function searchBoxQuery(search: string): string | null {
  const all = [...new Set(words(search))].slice(0, MAX_TERMS);
  const content = all.filter((w) => !STOPWORDS.has(w));
  const chosen = content.length ? content : all;
  return chosen.length ? chosen.map((w) => `${w}:*`).join(' & ') : null;
}
