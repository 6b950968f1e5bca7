import { Injectable } from '@nestjs/common';
import { normaliseLanguageCode } from './language/language-codes';
import { detectLanguage } from './language/detect-language';
import { lexiconSentiment } from './sentiment/lexicon-sentiment';
import { TextAnalyser, TextAnalysis, TextAnalysisItem } from './text-analyser';

/**
 * In-process analysis: tinyld for the language, curated lexicons for sentiment (the measured best
 * on our evaluation set; see the README's table). Synchronous work of a few tens of µs per message,
 * so it runs inline in the ingest worker's transaction.
 */
@Injectable()
export class LocalTextAnalyser extends TextAnalyser {
  analyse(items: TextAnalysisItem[]): Promise<TextAnalysis[]> {
    return Promise.resolve(items.map((item) => analyseOne(item)));
  }
}

export function analyseOne(item: TextAnalysisItem): TextAnalysis {
  const text = typeof item.text === 'string' ? item.text : '';
  const hints = (item.languageHints ?? []).map(normaliseLanguageCode).filter((c): c is string => c !== null);
  const language = detectLanguage(text, { hints });
  return { language, sentiment: lexiconSentiment(text, language) };
}
