import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SentimentLabel } from '@caredesk/analysis';

/** One labelled message of test/fixtures/analysis/<language>.json. */
export interface EvaluationItem {
  id: string;
  /**
   * "dev": lexicons and thresholds were tuned looking at these. "test": written together with dev
   * before any tuning, never looked at while tuning. "holdout": harder texts (sarcasm, idioms, slang)
   * written after the analyser was frozen, to show how far the figures on test are from real traffic.
   */
  split: 'dev' | 'test' | 'holdout';
  language: string;
  sentiment: SentimentLabel;
  text: string;
}

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'analysis');

export function loadEvaluationSet(): EvaluationItem[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(FIXTURES_DIR, f), 'utf8')) as EvaluationItem[]);
}

/** Share of items for which `correct` holds (0..1); NaN for no items. */
export function accuracy<T>(items: T[], correct: (item: T) => boolean): number {
  return items.length ? items.filter(correct).length / items.length : NaN;
}
