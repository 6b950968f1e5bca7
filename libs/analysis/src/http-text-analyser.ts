import { Logger } from '@nestjs/common';
import { analysisMetrics } from './analysis.metrics';
import { normaliseLanguageCode } from './language/language-codes';
import { TextAnalyser, TextAnalysis, TextAnalysisItem, TextSentiment } from './text-analyser';

export interface HttpTextAnalyserOptions {
  /** POST endpoint of the model service. */
  url: string;
  timeoutMs: number;
}

type FallbackReason = 'timeout' | 'network' | 'http' | 'invalid';

class ServiceFailure extends Error {
  constructor(
    readonly reason: FallbackReason,
    message: string,
  ) {
    super(message);
  }
}

const LABELS = new Set(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);

/**
 * An external model service behind the same interface. Wire format (one round trip per batch):
 *   request  POST <url>  {"items": [{"text": "…", "languageHints": ["nb"]}, …]}
 *   response 200         {"results": [{"language": "no" | null,
 *                                      "sentiment": {"score": -1..1, "label": "NEGATIVE"} | null}, …]}
 * one result per item, in order. Analysis must never cost a message: on a timeout, a connection
 * error, a non-2xx answer or a malformed body the whole batch is analysed locally and counted in
 * caredesk_analysis_fallback_total; a single malformed result falls back for that item only.
 */
export class HttpTextAnalyser extends TextAnalyser {
  private readonly logger = new Logger(HttpTextAnalyser.name);

  constructor(
    private readonly options: HttpTextAnalyserOptions,
    private readonly fallback: TextAnalyser,
  ) {
    super();
  }

  async analyse(items: TextAnalysisItem[]): Promise<TextAnalysis[]> {
    if (items.length === 0) return [];
    let results: unknown[];
    try {
      results = await this.call(items);
    } catch (e) {
      const failure = e instanceof ServiceFailure ? e : new ServiceFailure('network', String(e));
      analysisMetrics.fallbacks.inc({ reason: failure.reason }, items.length);
      this.logger.warn(
        `analysis service failed (${failure.message}); analysed ${items.length} text(s) locally`,
      );
      return this.fallback.analyse(items);
    }
    const parsed = results.map(parseResult);
    const bad = parsed.flatMap((r, i) => (r ? [] : [i]));
    if (bad.length === 0) return parsed as TextAnalysis[];
    analysisMetrics.fallbacks.inc({ reason: 'invalid' }, bad.length);
    const local = await this.fallback.analyse(bad.map((i) => items[i]));
    bad.forEach((index, k) => (parsed[index] = local[k]));
    return parsed as TextAnalysis[];
  }

  private async call(items: TextAnalysisItem[]): Promise<unknown[]> {
    let res: Response;
    let text: string;
    try {
      // One deadline for the whole exchange, body included: a service that sends headers and then
      // stalls must not hold the ingest transaction open.
      const signal = AbortSignal.timeout(this.options.timeoutMs);
      res = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          items: items.map((i) => ({ text: i.text, languageHints: i.languageHints ?? [] })),
        }),
        signal,
      });
      text = await res.text();
    } catch (e) {
      // Duck-typed: the DOMException fetch throws is not `instanceof Error` in every realm (jest's VM).
      const name = (e as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new ServiceFailure(
        timedOut ? 'timeout' : 'network',
        timedOut ? 'timed out' : 'connection failed',
      );
    }
    if (!res.ok) throw new ServiceFailure('http', `HTTP ${res.status}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ServiceFailure('invalid', 'response is not JSON');
    }
    const results = (body as { results?: unknown } | null)?.results;
    if (!Array.isArray(results) || results.length !== items.length) {
      throw new ServiceFailure('invalid', `expected ${items.length} results`);
    }
    return results;
  }
}

/** One service result checked and normalised, or null when it does not fit the contract. */
function parseResult(value: unknown): TextAnalysis | null {
  if (!value || typeof value !== 'object') return null;
  const { language, sentiment } = value as { language?: unknown; sentiment?: unknown };
  if (language !== null && typeof language !== 'string') return null;
  const code = typeof language === 'string' ? normaliseLanguageCode(language) : null;
  if (sentiment === null) return { language: code, sentiment: null };
  const s = sentiment as Partial<TextSentiment> | undefined;
  if (!s || typeof s.score !== 'number' || !Number.isFinite(s.score) || !LABELS.has(String(s.label))) {
    return null;
  }
  // The database column is real in -1..1; clamp a service that strays rather than drop its answer.
  return { language: code, sentiment: { score: Math.max(-1, Math.min(1, s.score)), label: s.label! } };
}
