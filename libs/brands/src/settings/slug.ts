import slugify from 'slugify';
import { AppError } from '@caredesk/core';

/** Mirrors the CHECK on brands.slug. */
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_SLUG = 80;

/** A URL-safe slug from a brand name; names with no Latin letters or digits fall back to "brand". */
export function slugFromName(name: string): string {
  const base = slugify(name, { lower: true, strict: true, trim: true })
    .slice(0, MAX_SLUG - 6) // room for a "-12345" suffix
    .replace(/-+$/, '');
  return base || 'brand';
}

export function validateSlug(value: string): string {
  const slug = value.trim();
  if (!SLUG.test(slug) || slug.length > MAX_SLUG) {
    throw AppError.badInput('slug must be lower-case letters, digits and single hyphens (max 80)', 'slug');
  }
  return slug;
}

/** The first of `base`, `base-2`, `base-3`, … that is not in `taken`. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
