import { SentimentLabel, TextSentiment } from '../text-analyser';
import { CompiledLexicon, compileLexicons, SentimentLexicon } from './lexicon';
import { scoreWithLexicon } from './lexicon-scorer';
import { en } from './lexicons/en';
import { id } from './lexicons/id';
import { no } from './lexicons/no';
import { pl } from './lexicons/pl';
import { sv } from './lexicons/sv';
import { universal } from './lexicons/universal';
import { vi } from './lexicons/vi';

const BY_LANGUAGE: Record<string, SentimentLexicon> = { en, no, sv, pl, id, vi };

/**
 * Label thresholds on the -1..1 score, tuned on the dev split of test/fixtures/analysis (see
 * scripts/eval-analysis.ts): a single mild word ("ok", "fine") stays NEUTRAL.
 */
export const POSITIVE_FROM = 0.3;
export const NEGATIVE_FROM = -0.3;

// English words sit under every language's own list because social texts switch into English
// ("service jelek banget, worst"). Only its words and clear negators: Polish "no" means "well", "so"
// and "too" are not intensifiers outside English.
const englishWords: SentimentLexicon = {
  words: en.words,
  negators: en.negators.filter((w) => w !== 'no'),
  intensifiers: {},
  contrast: [],
};

// Compiled once per language at load; an unknown language (null) uses every list.
const compiled = new Map<string, CompiledLexicon>(
  Object.entries(BY_LANGUAGE).map(([code, lex]) => [
    code,
    compileLexicons(universal, code === 'en' ? en : englishWords, lex),
  ]),
);
const everyLanguage = compileLexicons(universal, ...Object.values(BY_LANGUAGE));

export function labelFor(score: number): SentimentLabel {
  if (score >= POSITIVE_FROM) return 'POSITIVE';
  if (score <= NEGATIVE_FROM) return 'NEGATIVE';
  return 'NEUTRAL';
}

/** Sentiment of a text in `language` (null: unknown); null when there is no text at all. */
export function lexiconSentiment(text: string, language: string | null): TextSentiment | null {
  if (!text.trim()) return null;
  const lex = (language && compiled.get(language)) || everyLanguage;
  const score = scoreWithLexicon(lex, text);
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, label: labelFor(rounded) };
}
