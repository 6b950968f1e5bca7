import { AppError } from '@caredesk/core';

/** A BCP-47 tag in canonical form (`en-us` → `en-US`), or BAD_USER_INPUT. */
export function normalizeLanguage(tag: string, field = 'language'): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    if (canonical) return canonical;
  } catch {
    // fall through
  }
  throw AppError.badInput(`"${tag.slice(0, 40)}" is not a BCP-47 language tag`, field);
}

/**
 * The primary language subtag, lower-case, with Norwegian's macrolanguage folded into Bokmål:
 * detectors answer `no`, brands are set up with `nb` or `nb-NO`, and both mean the same customers.
 */
export function primaryLanguage(tag: string): string {
  const primary = tag.split('-')[0].toLowerCase();
  return primary === 'no' ? 'nb' : primary;
}

/** Subtags that SQL compares against `split_part(lower(language), '-', 1)`. */
export function primaryAliases(tag: string): string[] {
  const p = primaryLanguage(tag);
  return p === 'nb' ? ['nb', 'no'] : [p];
}

/**
 * The item to use for the first wanted language that has one: an exact tag wins over a same-language
 * one (`pt-BR` asked, `pt-BR` before `pt-PT`). `null` entries in `wanted` are skipped. Falls back to
 * the first item (callers order them) so there is always an answer when there are items.
 */
export function pickByLanguage<T extends { language: string }>(
  items: readonly T[],
  wanted: ReadonlyArray<string | null | undefined>,
): T | null {
  for (const tag of wanted) {
    if (!tag) continue;
    const exact = items.find((i) => i.language.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const same = items.find((i) => primaryLanguage(i.language) === primaryLanguage(tag));
    if (same) return same;
  }
  return items[0] ?? null;
}
