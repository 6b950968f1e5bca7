/**
 * What does language + sentiment cost per inbound message? The local analyser runs inline in the
 * ingest worker for every message, so its per-message CPU time is what matters. Texts: the 288
 * labelled social messages of test/fixtures/analysis (2–25 words, six languages). Measures
 * (1) start-up: loading tinyld and compiling the lexicons, (2) per message, one at a time: p50/p99
 * in µs, (3) per message in batches of 50 (the worker's shape), (4) for scale, multilang-sentiment's
 * cost on a sample (it fuzzy-matches every word and is what we did not choose).
 * No database: `npm run bench -- analysis` only needs Redis up because the runner checks for it.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PROJECT_LANGUAGES } from '../libs/analysis/src/language/language-codes';
import { loadTinyldEngine } from '../libs/analysis/src/language/tinyld-engine';
import { loadEvaluationSet } from '../test/analysis/evaluation-set';
import { percentile } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);

async function main() {
  const texts = loadEvaluationSet().map((i) => i.text);

  const t0 = performance.now();
  const { LocalTextAnalyser } = require('@caredesk/analysis') as typeof import('@caredesk/analysis');
  const analyser = new LocalTextAnalyser();
  await analyser.analyse([{ text: 'warm up the lexicons' }]);
  // On a shared machine p99 measures the neighbours as much as the code: the load is printed with it.
  console.log(
    `analysis: ${texts.length} texts × ${ROUNDS} rounds; ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(`start-up (load tinyld, compile lexicons)   ${(performance.now() - t0).toFixed(0)} ms`);

  for (let i = 0; i < 3; i++) await analyser.analyse(texts.map((text) => ({ text }))); // JIT warm-up

  const single: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const text of texts) {
      const s = performance.now();
      await analyser.analyse([{ text }]);
      single.push((performance.now() - s) * 1000);
    }
  }
  console.log(
    `one message per call                       p50 ${percentile(single, 50).toFixed(0)} µs   p99 ${percentile(single, 99).toFixed(0)} µs   mean ${(single.reduce((a, b) => a + b, 0) / single.length).toFixed(0)} µs`,
  );

  const perMessageInBatch: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < texts.length; k += 50) {
      const batch = texts.slice(k, k + 50).map((text) => ({ text, languageHints: ['en'] }));
      const s = performance.now();
      await analyser.analyse(batch);
      perMessageInBatch.push(((performance.now() - s) * 1000) / batch.length);
    }
  }
  console.log(
    `batches of 50, per message                 p50 ${percentile(perMessageInBatch, 50).toFixed(0)} µs   p99 ${percentile(perMessageInBatch, 99).toFixed(0)} µs`,
  );
  console.log(
    `one core at the p50: ~${Math.round(1e6 / percentile(single, 50)).toLocaleString('en')} messages/s`,
  );

  // Where the time goes: tinyld (restricted to the six) against the lexicon scorer.
  const { detectLanguage } = await import('@caredesk/analysis');
  const { lexiconSentiment } = await import('../libs/analysis/src/sentiment/lexicon-sentiment');
  const detectUs: number[] = [];
  const lexiconUs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const text of texts) {
      let s = performance.now();
      detectLanguage(text);
      detectUs.push((performance.now() - s) * 1000);
      s = performance.now();
      lexiconSentiment(text, 'en');
      lexiconUs.push((performance.now() - s) * 1000);
    }
  }
  console.log(
    `  of which language (TinyldEngine)         p50 ${percentile(detectUs, 50).toFixed(0)} µs   p99 ${percentile(detectUs, 99).toFixed(0)} µs`,
  );
  console.log(
    `  of which lexicon sentiment               p50 ${percentile(lexiconUs, 50).toFixed(0)} µs   p99 ${percentile(lexiconUs, 99).toFixed(0)} µs`,
  );

  // The engine against tinyld's own detectAll: the same answers (tinyld-engine.spec.ts), the cost.
  const tinyld = require('tinyld') as typeof import('tinyld');
  const engine = loadTinyldEngine();
  const only = [...PROJECT_LANGUAGES];
  for (const [name, detect] of [
    ['tinyld.detectAll', (t: string) => tinyld.detectAll(t, { only })],
    ['TinyldEngine.detectAll', (t: string) => engine?.detectAll(t, only)],
  ] as const) {
    for (const text of texts) detect(text);
    const us: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const text of texts) {
        const s = performance.now();
        detect(text);
        us.push((performance.now() - s) * 1000);
      }
    }
    console.log(
      `  ${name.padEnd(40)} p50 ${percentile(us, 50).toFixed(0)} µs   p99 ${percentile(us, 99).toFixed(0)} µs`,
    );
  }

  const multilang = require('multilang-sentiment') as (text: string, lang: string) => unknown;
  const sample = loadEvaluationSet().filter((_, k) => k % 12 === 0);
  multilang(sample[0].text, sample[0].language);
  const ms: number[] = [];
  for (const item of sample) {
    const s = performance.now();
    multilang(item.text, item.language);
    ms.push((performance.now() - s) * 1000);
  }
  console.log(
    `for scale: multilang-sentiment, ${sample.length} texts    p50 ${percentile(ms, 50).toFixed(0)} µs   p99 ${percentile(ms, 99).toFixed(0)} µs`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
