import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import type * as Tinyld from 'tinyld';

/**
 * tinyld's detection (`detectAll`), same algorithm, same trained profiles, same answers to the last
 * bit — without its per-call waste. tinyld allocates a Set of a gram's languages for every gram of
 * every word, an array per character when it cuts grams, and recomputes the allowed languages for
 * every word; on a short social message that is ~90 µs, half of the ingest worker's CPU per event
 * (bench/ingest profile). This engine cuts grams by slicing, tests a language with `in`, accents are
 * stripped only from words that have any, and the allowed languages of an `only` list are computed
 * once. ~6× faster (`npm run bench -- analysis` prints both).
 *
 * The profiles and the few helpers the package does not export are read from its own module: the
 * module's source is compiled once more with one line appended that hands them out (the names are
 * tinyld 1.3.4's, pinned in package.json). If that ever fails — a new tinyld — `loadTinyldEngine`
 * answers null and the caller uses tinyld's own detectAll; tinyld-engine.spec.ts compares the two on
 * the evaluation set and generated text, so an upgrade that changes either is noticed.
 */

export interface Detection {
  lang: string;
  accuracy: number;
}

interface Profiles {
  uniques: Record<string, string>;
  multiples: Record<string, Record<string, number>>;
}

/** What the engine takes from tinyld's module (minified names in brackets). */
interface TinyldInternals {
  /** The trained profiles [r0]. */
  profiles: Profiles;
  /** Grams that belong to one language only [B0]. */
  uniqueGrams: Set<string>;
  /** Gram sizes, e.g. [1, 2, 3, 4, 5] [h]. */
  gramSizes: number[];
  /** Every language, ISO 639-3, in tinyld's order [g]. */
  languages: Set<string>;
  /** Text → chunks at punctuation [i0]; chunk → words [n0]. */
  splitChunks: (text: string) => string[];
  splitWords: (chunk: string) => string[];
  /** NFD, combining marks removed [R]. */
  stripAccents: (gram: string) => string;
}

type TinyldModule = typeof Tinyld & { __caredeskInternals?: TinyldInternals };

const EXPOSE = `;module.exports.__caredeskInternals = { profiles: r0, uniqueGrams: B0, gramSizes: h,
  languages: g, splitChunks: i0, splitWords: n0, stripAccents: R };`;

/** Outside printable ASCII: the only words whose grams stripping accents can change. */
const NOT_PRINTABLE_ASCII = /[^ -~]/;

/** tinyld's rounding to four decimals [k]. */
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * What an `only` list allows, prepared once: the languages in tinyld's order with their ISO 639-1
 * codes, each unique gram whose language is allowed, and each multi-language gram's weights for the
 * allowed languages only (grams none of them has are left out).
 */
interface Allowed {
  iso2: string[];
  uniques: Map<string, string>;
  weights: Map<string, Float64Array>;
}

export class TinyldEngine {
  private readonly allowedByOnly = new Map<string, Allowed>();

  constructor(
    private readonly t: TinyldInternals,
    private readonly api: Pick<typeof Tinyld, 'cleanString' | 'toISO2'>,
  ) {}

  /** Exactly `tinyld.detectAll(text, { only })`. */
  detectAll(text: string, only: readonly string[] = []): Detection[] {
    const chunks = this.t
      .splitChunks(text)
      .map((c) => this.api.cleanString(c))
      .filter((c) => !!c);
    chunks.sort((a, b) => b.length - a.length);
    const allowed = this.allowed(only);
    const scores = new Map<string, number>();
    let total = 0;
    for (const chunk of chunks.slice(0, 7)) {
      const unique = this.uniqueLanguage(chunk, allowed);
      if (unique) {
        scores.set(unique, (scores.get(unique) || 0) + chunk.length);
        total += chunk.length;
        continue;
      }
      for (const word of this.t.splitWords(chunk)) {
        for (const r of this.wordScores(word, allowed))
          scores.set(r.lang, (scores.get(r.lang) || 0) + r.accuracy);
        total += word.length;
      }
    }
    const ranked = [...scores.entries()].filter((e) => e[1] > 0);
    ranked.sort((a, b) => b[1] - a[1]);
    return ranked.map(([lang, score]) => ({ lang, accuracy: score / total }));
  }

  /** Pass 1 [o0]: the language of the first allowed unique gram, smallest size first. */
  private uniqueLanguage(chunk: string, allowed: Allowed): string {
    const padded = ` ${chunk} `;
    for (const size of this.t.gramSizes) {
      for (let at = 0; at + size <= padded.length; at++) {
        const gram = padded.slice(at, at + size);
        const lang = allowed.uniques.get(gram);
        if (lang !== undefined && isGram(gram)) return lang;
      }
    }
    return '';
  }

  /** Pass 2 [t0]: each allowed language's share of the word's grams, as tinyld scores it (top 8). */
  private wordScores(word: string, allowed: Allowed): Detection[] {
    const strip = NOT_PRINTABLE_ASCII.test(word);
    const padded = ` ${word} `;
    const sums = new Array<number>(allowed.iso2.length).fill(0);
    for (const size of this.t.gramSizes) {
      for (let at = 0; at + size <= padded.length; at++) {
        const raw = padded.slice(at, at + size);
        const gram = strip ? this.t.stripAccents(raw) : raw;
        const weights = allowed.weights.get(gram);
        if (weights === undefined || !isGram(raw)) continue;
        for (let i = 0; i < weights.length; i++) {
          const w = weights[i];
          // NaN marks a language the gram does not have (tinyld tests membership, not the value).
          if (w === w) sums[i] = (sums[i] || 0) + (w * gram.length) / 4;
        }
      }
    }
    const ranked = sums.map((score, i) => [i, score] as [number, number]);
    ranked.sort((a, b) => b[1] - a[1]);
    const top = Math.max(...sums) || 1;
    return ranked
      .slice(0, 8)
      .map(([i, score]) => ({ lang: allowed.iso2[i], accuracy: 1 - round4((top - score) / top) }));
  }

  private allowed(only: readonly string[]): Allowed {
    const key = only.join(',');
    let allowed = this.allowedByOnly.get(key);
    if (!allowed) {
      allowed = this.prepare(only);
      this.allowedByOnly.set(key, allowed);
    }
    return allowed;
  }

  private prepare(only: readonly string[]): Allowed {
    const toISO2 = (l: string) => this.api.toISO2(l);
    const iso3 = [...this.t.languages].filter(
      (l) => only.length === 0 || only.includes(l) || only.includes(toISO2(l)),
    );
    const uniques = new Map<string, string>();
    for (const gram of this.t.uniqueGrams) {
      const lang = toISO2(this.t.profiles.uniques[gram]);
      if (only.length === 0 || only.includes(lang)) uniques.set(gram, lang);
    }
    const weights = new Map<string, Float64Array>();
    for (const [gram, byLang] of Object.entries(this.t.profiles.multiples)) {
      if (!iso3.some((l) => l in byLang)) continue;
      weights.set(
        gram,
        Float64Array.from(iso3, (l) => (l in byLang ? byLang[l] : NaN)),
      );
    }
    return { iso2: iso3.map(toISO2), uniques, weights };
  }
}

/**
 * tinyld's grams of a size [p] are the windows of the text padded with size−1 spaces on each side
 * that have no two spaces in a row and are not blank; a window with two pad spaces has two in a row,
 * so the windows of the text padded with one space are all there can be. This is the rest of the test.
 */
function isGram(window: string): boolean {
  return !window.includes('  ') && window.trim().length > 0;
}

/**
 * Compiles tinyld's module with its internals handed out. Null (and tinyld's own detectAll is used)
 * when they are not what this engine expects.
 */
export function loadTinyldEngine(): TinyldEngine | null {
  const file = require.resolve('tinyld');
  const mod = new Module(file) as Module & { _compile(source: string, filename: string): void };
  mod.filename = file;
  mod.paths = [dirname(file)];
  try {
    mod._compile(readFileSync(file, 'utf8') + EXPOSE, file);
  } catch {
    return null;
  }
  const exported = mod.exports as TinyldModule;
  const t = exported.__caredeskInternals;
  const usable =
    t &&
    typeof t.profiles?.multiples === 'object' &&
    typeof t.profiles?.uniques === 'object' &&
    typeof t.uniqueGrams?.has === 'function' &&
    Array.isArray(t.gramSizes) &&
    typeof t.languages?.has === 'function' &&
    [t.splitChunks, t.splitWords, t.stripAccents].every((f) => typeof f === 'function') &&
    typeof exported.cleanString === 'function' &&
    typeof exported.toISO2 === 'function';
  return usable ? new TinyldEngine(t, exported) : null;
}
