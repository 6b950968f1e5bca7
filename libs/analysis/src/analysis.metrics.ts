import { Counter, register } from 'prom-client';

/** Reuses a metric already registered: a process may build the Nest app more than once (tests). */
function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<string>;
  return new Counter({ name, help, labelNames });
}

export const analysisMetrics = {
  fallbacks: counter(
    'caredesk_analysis_fallback_total',
    'Texts analysed locally because the external analysis service failed, by reason (timeout, http, invalid, network).',
    ['reason'],
  ),
};
