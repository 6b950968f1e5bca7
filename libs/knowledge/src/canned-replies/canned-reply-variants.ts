import { AppError } from '@caredesk/core';
import { normalizeLanguage } from '../shared/language';
import { parseTemplate } from '../templates/template';
import { CannedReplyVariantInput } from './dto/canned-reply-variant.input';

export const MAX_VARIANTS = 20;
export const MAX_BODY = 10_000;

/**
 * Variants as stored: canonical language tags, one per language, each a valid template (unknown
 * variables are BAD_USER_INPUT here, at save time). Sorted by language so reads are stable.
 */
export function normalizeVariants(
  input: readonly CannedReplyVariantInput[],
): Array<{ language: string; body: string }> {
  if (input.length === 0) throw AppError.badInput('Give at least one variant', 'variants');
  if (input.length > MAX_VARIANTS) throw AppError.badInput(`At most ${MAX_VARIANTS} variants`, 'variants');
  const seen = new Set<string>();
  const out = input.map((v) => {
    const language = normalizeLanguage(v.language, 'variants');
    if (seen.has(language.toLowerCase())) {
      throw AppError.badInput(`Two variants for the language ${language}`, 'variants');
    }
    seen.add(language.toLowerCase());
    const body = v.body.trim();
    if (!body) throw AppError.badInput(`The ${language} variant is empty`, 'variants');
    if (body.length > MAX_BODY) throw AppError.badInput(`The ${language} variant is too long`, 'variants');
    parseTemplate(body, 'variants');
    return { language, body };
  });
  return out.sort((a, b) => a.language.localeCompare(b.language));
}
