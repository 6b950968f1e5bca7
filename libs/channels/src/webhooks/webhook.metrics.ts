import { Counter, register } from 'prom-client';

/**
 * prom-client keeps metrics in one process-wide registry and refuses a second metric of the same
 * name; a process may build the Nest app more than once (tests, the benchmark), so reuse what is there.
 */
function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<string>;
  return new Counter({ name, help, labelNames });
}

/** Webhook intake counters, served by the API's /metrics endpoint. */
export const webhookMetrics = {
  rejected: counter(
    'caredesk_webhook_rejected_total',
    'Webhook requests refused before anything was stored (bad or missing signature, stale timestamp).',
    ['platform', 'reason'],
  ),
  unrouted: counter(
    'caredesk_webhook_unrouted_total',
    'Verified webhook entries dropped because no connected channel serves the account they name.',
    ['platform'],
  ),
  accepted: counter(
    'caredesk_webhook_entries_total',
    'Verified webhook entries stored, by outcome: new (a row was inserted) or duplicate (a platform retry).',
    ['platform', 'outcome'],
  ),
};
