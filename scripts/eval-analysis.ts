/**
 * `npm run eval:analysis`: accuracy of language detection and sentiment on the labelled evaluation
 * set (test/fixtures/analysis), per language and split. Language detection: tinyld restricted to the
 * project's languages (what the analyser does) and unrestricted; franc if it can be loaded from
 * CommonJS. Sentiment: @nlpjs/sentiment with its language packs, multilang-sentiment, and the chosen
 * analyser (LocalTextAnalyser, end to end: detected language, then its lexicon). Libraries are
 * scored twice: by the sign of their score, and with a ±threshold chosen on dev (a fair chance).
 */
import {
  analysisMetrics,
  detectLanguage,
  HttpTextAnalyser,
  LocalTextAnalyser,
  SentimentLabel,
  TextAnalysis,
} from '@caredesk/analysis';
import { POSITIVE_FROM } from '../libs/analysis/src/sentiment/lexicon-sentiment';
import { accuracy, EvaluationItem, loadEvaluationSet } from '../test/analysis/evaluation-set';

// nlp.js and multilang-sentiment ship no type declarations.
const { Container } = require('@nlpjs/core') as { Container: new () => { use(plugin: unknown): void } };
const { SentimentAnalyzer } = require('@nlpjs/sentiment') as {
  SentimentAnalyzer: new (settings: object) => { process(input: object): Promise<unknown> };
};
const multilangSentiment = require('multilang-sentiment') as (
  text: string,
  lang: string,
) => { score: number };

const NLPJS_PACKS: Record<string, [string, string]> = {
  en: ['@nlpjs/lang-en', 'LangEn'],
  no: ['@nlpjs/lang-no', 'LangNo'],
  sv: ['@nlpjs/lang-sv', 'LangSv'],
  pl: ['@nlpjs/lang-pl', 'LangPl'],
  id: ['@nlpjs/lang-id', 'LangId'],
};

function loadFranc(): ((text: string) => string) | null {
  try {
    const mod = require('franc') as { franc?: (t: string) => string };
    return mod.franc ?? (mod as unknown as (t: string) => string);
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'error';
    console.log(`franc: not loadable from CommonJS here (${why}); skipped`);
    return null;
  }
}

function labelBy(score: number, threshold: number): SentimentLabel {
  if (score > threshold) return 'POSITIVE';
  if (score < -threshold) return 'NEGATIVE';
  return 'NEUTRAL';
}

/** The ±threshold (from a grid) with the best accuracy on dev. */
function tuneThreshold(dev: EvaluationItem[], scores: Map<string, number>, grid: number[]): number {
  let best = grid[0];
  let bestAcc = -1;
  for (const t of grid) {
    const acc = accuracy(dev, (i) => labelBy(scores.get(i.id)!, t) === i.sentiment);
    if (acc > bestAcc) [best, bestAcc] = [t, acc];
  }
  return best;
}

const pct = (x: number) => (Number.isNaN(x) ? '   – ' : `${(x * 100).toFixed(0).padStart(4)}%`);

async function main() {
  const items = loadEvaluationSet();
  const languages = [...new Set(items.map((i) => i.language))];
  const franc = loadFranc();

  const container = new Container();
  for (const [pkg, name] of Object.values(NLPJS_PACKS)) {
    container.use((require(pkg) as Record<string, unknown>)[name]);
  }
  const nlpjs = new SentimentAnalyzer({ container });

  const nlpScores = new Map<string, number>();
  const mlsScores = new Map<string, number>();
  for (const i of items) {
    if (NLPJS_PACKS[i.language]) {
      const r = (await nlpjs.process({ locale: i.language, text: i.text })) as {
        sentiment: { score: number };
      };
      nlpScores.set(i.id, r.sentiment.score);
    }
    mlsScores.set(i.id, multilangSentiment(i.text, i.language).score);
  }
  const dev = items.filter((i) => i.split === 'dev');
  const grid = [0, 0.25, 0.5, 1, 1.5, 2, 3, 4];
  const nlpT = tuneThreshold(
    dev.filter((i) => nlpScores.has(i.id)),
    nlpScores,
    grid,
  );
  const mlsT = tuneThreshold(dev, mlsScores, grid);
  const analyser = new LocalTextAnalyser();
  const chosen = await analyser.analyse(items.map((i) => ({ text: i.text })));
  const chosenById = new Map(items.map((i, k) => [i.id, chosen[k]]));
  // ANALYSIS_SERVICE_URL=… npm run eval:analysis measures an external model service on the same set.
  const serviceUrl = process.env.ANALYSIS_SERVICE_URL;
  let serviceById: Map<string, TextAnalysis> | null = null;
  if (serviceUrl) {
    const timeoutMs = Number(process.env.ANALYSIS_TIMEOUT_MS ?? 10000);
    const service = new HttpTextAnalyser({ url: serviceUrl, timeoutMs }, analyser);
    const out = await service.analyse(items.map((i) => ({ text: i.text })));
    serviceById = new Map(items.map((i, k) => [i.id, out[k]]));
    const fellBack = (await analysisMetrics.fallbacks.get()).values.reduce((n, v) => n + v.value, 0);
    console.log(
      `service ${serviceUrl}: ${fellBack} of ${items.length} texts fell back to the local analyser`,
    );
  }

  const columns: Array<[string, (i: EvaluationItem) => boolean, (i: EvaluationItem) => boolean]> = [
    ['lang tinyld only-6', (i) => detectLanguage(i.text) === i.language, () => true],
    // A brand set up with its market's language and English, as an agency would configure it.
    [
      'lang only-6 + hints',
      (i) => detectLanguage(i.text, { hints: [i.language, 'en'] }) === i.language,
      () => true,
    ],
    ['lang tinyld any', (i) => detectLanguage(i.text, { restricted: false }) === i.language, () => true],
    ...(franc
      ? [['lang franc', (i: EvaluationItem) => francCode(franc(i.text)) === i.language, () => true] as never]
      : []),
    ['sent nlp.js sign', (i) => labelBy(nlpScores.get(i.id)!, 0) === i.sentiment, (i) => nlpScores.has(i.id)],
    [
      `sent nlp.js ±${nlpT}`,
      (i) => labelBy(nlpScores.get(i.id)!, nlpT) === i.sentiment,
      (i) => nlpScores.has(i.id),
    ],
    ['sent multilang sign', (i) => labelBy(mlsScores.get(i.id)!, 0) === i.sentiment, () => true],
    [`sent multilang ±${mlsT}`, (i) => labelBy(mlsScores.get(i.id)!, mlsT) === i.sentiment, () => true],
    ['sent CHOSEN', (i) => chosenById.get(i.id)!.sentiment?.label === i.sentiment, () => true],
    ...(serviceById
      ? [
          [
            'lang service',
            (i: EvaluationItem) => serviceById.get(i.id)!.language === i.language,
            () => true,
          ] as never,
          [
            'sent service',
            (i: EvaluationItem) => serviceById.get(i.id)!.sentiment?.label === i.sentiment,
            () => true,
          ] as never,
        ]
      : []),
  ];

  const count = (split: string) => items.filter((i) => i.split === split).length;
  console.log(
    `\n${items.length} messages: dev ${dev.length}, test ${count('test')}, holdout ${count('holdout')}\n`,
  );
  const header = ['language', 'split', 'n', ...columns.map((c) => c[0])];
  const rows: string[][] = [];
  for (const lang of [...languages, 'all']) {
    for (const split of ['dev', 'test', 'holdout'] as const) {
      const subset = items.filter((i) => i.split === split && (lang === 'all' || i.language === lang));
      rows.push([
        lang,
        split,
        String(subset.length),
        ...columns.map(([, correct, applies]) => pct(accuracy(subset.filter(applies), correct))),
      ]);
    }
  }
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padStart(widths[k])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));

  // The chosen analyser's label thresholds: accuracy on dev for a symmetric ±t (the shipped t is marked).
  const sweep = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5].map((t) => {
    const acc = accuracy(
      dev,
      (i) => labelBy(chosenById.get(i.id)!.sentiment?.score ?? 0, t - 1e-9) === i.sentiment,
    );
    return `±${t}${t === POSITIVE_FROM ? '*' : ''} ${pct(acc).trim()}`;
  });
  console.log(`\nchosen analyser, dev accuracy by label threshold: ${sweep.join(', ')}`);

  if (process.argv.includes('--errors')) {
    const which = process.argv.includes('--test')
      ? 'test'
      : process.argv.includes('--holdout')
        ? 'holdout'
        : 'dev';
    console.log(`\nchosen analyser's mistakes on ${which}:`);
    for (const i of items.filter((x) => x.split === which)) {
      const got = chosenById.get(i.id)!;
      if (got.sentiment?.label !== i.sentiment || got.language !== i.language) {
        console.log(
          `  ${i.id} want ${i.sentiment}/${i.language} got ${got.sentiment?.label}(${got.sentiment?.score})/${got.language}: ${i.text}`,
        );
      }
    }
  }
}

/** franc answers ISO 639-3 ('nob', 'swe', 'pol', 'ind', 'vie', 'eng'). */
function francCode(iso3: string): string | null {
  const map: Record<string, string> = {
    eng: 'en',
    nob: 'no',
    nno: 'no',
    swe: 'sv',
    pol: 'pl',
    ind: 'id',
    vie: 'vi',
  };
  return map[iso3] ?? null;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
