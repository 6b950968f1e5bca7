import { AppError } from '@caredesk/core';

export const TAG_MAX_LENGTH = 50;
export const TAGS_PER_CALL = 20;

/**
 * Trimmed, inner whitespace collapsed, de-duplicated case-insensitively (the first spelling wins, and
 * it is the one a new tag is created with). BAD_USER_INPUT for an empty list, an empty or too long
 * name, or too many.
 */
export function normalizeTagNames(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of names) {
    const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
    if (!name || [...name].length > TAG_MAX_LENGTH) {
      throw AppError.badInput(`A tag is 1 to ${TAG_MAX_LENGTH} characters`, 'tags');
    }
    if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  if (seen.size === 0) throw AppError.badInput('Give at least one tag', 'tags');
  if (seen.size > TAGS_PER_CALL) throw AppError.badInput(`At most ${TAGS_PER_CALL} tags per call`, 'tags');
  return [...seen.values()];
}
