import { LocalTextAnalyser, TextAnalysis } from '@caredesk/analysis';
import { accuracy, EvaluationItem, loadEvaluationSet } from './evaluation-set';

/**
 * Regression floors for the chosen (local) analyser on the labelled set. Each floor is the figure
 * measured with `npm run eval:analysis` when the analyser was frozen, minus a margin of about two
 * items per 18-item language split, so a change that costs accuracy fails here.
 *
 *                               measured   floor
 *   sentiment, test, all          97%       90%
 *   sentiment, test, each lang    94–100%   83%
 *   sentiment, holdout, all       53%       45%   (sarcasm and idioms: the lexicon's known limit)
 *   language,  test, all         100%       95%
 *   language,  test, each lang   100%       88%
 */
describe('LocalTextAnalyser accuracy on test/fixtures/analysis', () => {
  const items = loadEvaluationSet();
  const results = new Map<string, TextAnalysis>();

  beforeAll(async () => {
    const out = await new LocalTextAnalyser().analyse(items.map((i) => ({ text: i.text })));
    items.forEach((item, k) => results.set(item.id, out[k]));
  });

  const split = (name: EvaluationItem['split'], language?: string) =>
    items.filter((i) => i.split === name && (!language || i.language === language));
  const sentimentOk = (i: EvaluationItem) => results.get(i.id)!.sentiment?.label === i.sentiment;
  const languageOk = (i: EvaluationItem) => results.get(i.id)!.language === i.language;
  const languages = [...new Set(items.map((i) => i.language))];
  /** Languages whose test-split accuracy is under the floor, with the figure (so a failure says which). */
  const belowFloor = (ok: (i: EvaluationItem) => boolean, floor: number) =>
    languages.map((lang) => ({ lang, acc: accuracy(split('test', lang), ok) })).filter((r) => r.acc < floor);

  it('has at least 30 balanced items per project language, half dev and half test', () => {
    expect(languages.sort()).toEqual(['en', 'id', 'no', 'pl', 'sv', 'vi']);
    for (const lang of languages) {
      for (const s of ['dev', 'test'] as const) {
        const part = split(s, lang);
        expect(part.length).toBeGreaterThanOrEqual(15);
        for (const label of ['POSITIVE', 'NEUTRAL', 'NEGATIVE']) {
          expect(part.filter((i) => i.sentiment === label)).toHaveLength(part.length / 3);
        }
      }
    }
  });

  it('sentiment on the test split stays above its floors', () => {
    expect(accuracy(split('test'), sentimentOk)).toBeGreaterThanOrEqual(0.9);
    expect(belowFloor(sentimentOk, 0.83)).toEqual([]);
  });

  it('sentiment on the harder holdout stays above its floor', () => {
    expect(accuracy(split('holdout'), sentimentOk)).toBeGreaterThanOrEqual(0.45);
  });

  it('language detection on the test split stays above its floors', () => {
    expect(accuracy(split('test'), languageOk)).toBeGreaterThanOrEqual(0.95);
    expect(belowFloor(languageOk, 0.88)).toEqual([]);
  });
});
