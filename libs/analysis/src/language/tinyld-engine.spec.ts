import * as tinyld from 'tinyld';
import { loadEvaluationSet } from '../../../../test/analysis/evaluation-set';
import { loadTinyldEngine, TinyldEngine } from './tinyld-engine';

/** A small deterministic generator, so a failure names a text that can be reproduced. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const ONLY_LISTS: string[][] = [
  [],
  ['en', 'no', 'sv', 'pl', 'id', 'vi'],
  ['en', 'no', 'sv', 'pl', 'id', 'vi', 'de'],
  // More than eight languages: tinyld keeps each word's top eight.
  ['en', 'no', 'sv', 'pl', 'id', 'vi', 'de', 'fr', 'es', 'da', 'nl', 'it', 'pt'],
  // ISO 639-3 codes are accepted too.
  ['eng', 'nob', 'swe'],
];

// What social text has beyond words: punctuation, digits, emoji (surrogate pairs), full-width digits,
// typographic quotes, a non-breaking space, runs of spaces, tabs, links and handles.
const NOISE = [
  '!!',
  '?',
  '…',
  '42',
  '😡',
  '👍🏽',
  '１２',
  '“',
  '’',
  '\u00a0',
  '   ',
  '\t',
  'https://x.example/a',
  '@acme',
  '#',
  '.',
  ',',
];

describe('TinyldEngine', () => {
  let engine: TinyldEngine;
  beforeAll(() => {
    const loaded = loadTinyldEngine();
    // Null means tinyld changed: detection still works (tinyld's own detectAll), but slowly.
    expect(loaded).not.toBeNull();
    engine = loaded!;
  });

  const texts = loadEvaluationSet().map((i) => i.text);

  it.each(ONLY_LISTS.map((only) => [only.join(',') || '(all)', only]))(
    'answers exactly what tinyld.detectAll answers on the evaluation set, only %s',
    (_label, only) => {
      for (const text of texts) {
        expect({ text, result: engine.detectAll(text, only) }).toEqual({
          text,
          result: tinyld.detectAll(text, { only }),
        });
      }
    },
  );

  it('answers exactly what tinyld.detectAll answers on generated mixtures of words and noise', () => {
    const words = texts.flatMap((t) => t.split(/\s+/));
    const random = prng(20261124);
    for (let n = 0; n < 400; n++) {
      const parts: string[] = [];
      const length = 1 + Math.floor(random() * 14);
      for (let i = 0; i < length; i++) {
        parts.push(
          random() < 0.2
            ? NOISE[Math.floor(random() * NOISE.length)]
            : words[Math.floor(random() * words.length)],
        );
      }
      const text = parts.join(random() < 0.5 ? ' ' : '');
      const only = ONLY_LISTS[n % ONLY_LISTS.length];
      expect({ text, result: engine.detectAll(text, only) }).toEqual({
        text,
        result: tinyld.detectAll(text, { only }),
      });
    }
  });

  it.each(['', '   ', '!!!', '😍😍', '12345', 'a', 'ok'])('answers like tinyld on %j', (text) => {
    expect(engine.detectAll(text, [])).toEqual(tinyld.detectAll(text));
  });

  it('ranks the language of a plain sentence first', () => {
    expect(engine.detectAll('Dziękuję bardzo, wszystko działa', ['en', 'pl', 'sv'])[0].lang).toBe('pl');
  });
});
