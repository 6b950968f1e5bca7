import { AppError } from '@caredesk/core';

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;

/** Trimmed, non-empty, at most `max` characters, or BAD_USER_INPUT on `field`. */
export function requireText(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (!text) throw AppError.badInput(`${field} cannot be empty`, field);
  if (text.length > max) throw AppError.badInput(`${field} is longer than ${max} characters`, field);
  return text;
}

/** Trimmed tags without blanks or repeats (ignoring case), the first spelling kept. */
export function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags ?? []) {
    const tag = raw.trim();
    if (!tag) continue;
    if (tag.length > MAX_TAG_LENGTH) {
      throw AppError.badInput(`A tag is longer than ${MAX_TAG_LENGTH} characters`, 'tags');
    }
    if (seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  if (out.length > MAX_TAGS) throw AppError.badInput(`At most ${MAX_TAGS} tags`, 'tags');
  return out;
}

const SHORTCUT = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$/u;

/** What agents type after "/": the slash is optional here and never stored. */
export function normalizeShortcut(value: string): string {
  const shortcut = value.trim().replace(/^\//, '');
  if (!SHORTCUT.test(shortcut)) {
    throw AppError.badInput(
      'A shortcut is 1–40 letters, digits, "-" or "_", starting with a letter or digit',
      'shortcut',
    );
  }
  return shortcut;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * pg_trgm's `<%` (word similarity, GIN-indexed) defaults to 0.6, which misses a typo in a two-word
 * search ("Openin hurs" is 0.53 from "Opening hours"). Transaction-local, like the tenant setting.
 */
export const FUZZY_THRESHOLD_SQL = `SELECT set_config('pg_trgm.word_similarity_threshold', '0.45', true)`;
