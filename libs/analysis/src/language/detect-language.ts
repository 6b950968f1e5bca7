import { Logger } from '@nestjs/common';
import type * as Tinyld from 'tinyld';
import { normaliseLanguageCode, PROJECT_LANGUAGES } from './language-codes';
import { Detection, loadTinyldEngine, TinyldEngine } from './tinyld-engine';

/**
 * tinyld is loaded on first use, not on import: its language profiles cost ~50 MB of memory, and the
 * API process (which imports this library through @caredesk/inbox) never detects languages. Its
 * algorithm runs in TinyldEngine (same answers, ~5× faster); tinyld's own detectAll only if the
 * engine cannot read this tinyld's profiles.
 */
let detector: ((text: string, only: string[]) => Detection[]) | undefined;
function detectAll(text: string, only: string[]): Detection[] {
  detector ??= engineOrTinyld(loadTinyldEngine());
  return detector(text, only);
}
function engineOrTinyld(engine: TinyldEngine | null): (text: string, only: string[]) => Detection[] {
  if (engine) return (text, only) => engine.detectAll(text, only);
  new Logger('LanguageDetection').warn(
    "TinyldEngine cannot read this tinyld's profiles (not 1.3.4?): using tinyld's slower detectAll",
  );
  const tinyld = require('tinyld') as typeof Tinyld;
  return (text, only) => tinyld.detectAll(text, { only });
}

/**
 * A hinted language (the brand's) wins over tinyld's top pick when its score is at least this share
 * of the top score: Norwegian and Swedish short texts often score within 10% of each other, and a
 * Norwegian brand's customer is far more likely to write Norwegian.
 */
export const HINT_SHARE = 0.5;

/** Fewer letters than this (after links, handles and emoji are removed) → null, not a guess. */
export const MIN_LETTERS = 4;

// Links, @handles and e-mail addresses carry no language; '#' is dropped but the tag's words stay
// ("#dårligservice" is Norwegian). Digits and emoji are not letters, so they do not count either.
const NOISE = /https?:\/\/\S+|www\.\S+|\S+@\S+\.\S+|@[\p{L}\p{N}_.]+/gu;
const LETTER = /\p{L}/gu;

/** The text with the parts that carry no language removed (shared with the sentiment tokenizer). */
export function languageBearingText(text: string): string {
  return text.replace(NOISE, ' ').replace(/#/g, ' ');
}

export interface DetectOptions {
  /** Normalised language codes to add to the project's six (the brand's languages). */
  hints?: string[];
  /** false: let tinyld pick among all the languages it knows (only the evaluation uses this). */
  restricted?: boolean;
}

/**
 * The text's language as an ISO 639-1 code in our convention, or null when the text is too short
 * to tell ("ok", "👍👍", "@brand ??"): a wrong language would send the conversation to an agent who
 * cannot read it and skew the language filter; null says "unknown" honestly.
 *
 * Restricted to the brand's languages plus the project's six by default: on 2–25-word social texts
 * tinyld's unrestricted guess wanders to neighbours (Norwegian read as Danish, Indonesian as Tagalog
 * or Romanian); see scripts/eval-analysis.ts for the measured difference.
 */
export function detectLanguage(text: string, options: DetectOptions = {}): string | null {
  const cleaned = languageBearingText(text);
  const letters = cleaned.match(LETTER)?.length ?? 0;
  if (letters < MIN_LETTERS) return null;
  const hints = options.hints ?? [];
  const only = options.restricted === false ? [] : [...new Set([...PROJECT_LANGUAGES, ...hints])];
  const ranked = detectAll(cleaned, only);
  if (ranked.length === 0) return null;
  const hinted = ranked.find((r) => hints.includes(normaliseLanguageCode(r.lang) ?? ''));
  const pick = hinted && hinted.accuracy >= ranked[0].accuracy * HINT_SHARE ? hinted : ranked[0];
  return normaliseLanguageCode(pick.lang);
}
