import { registeredCounter } from '@caredesk/core';

/** Webhook intake counters, served by the API's /metrics endpoint. */
export const webhookMetrics = {
  rejected: registeredCounter(
    'caredesk_webhook_rejected_total',
    'Webhook requests refused before anything was stored (bad or missing signature, stale timestamp).',
    ['platform', 'reason'],
  ),
  unrouted: registeredCounter(
    'caredesk_webhook_unrouted_total',
    'Verified webhook entries dropped because no connected channel serves the account they name.',
    ['platform'],
  ),
  accepted: registeredCounter(
    'caredesk_webhook_entries_total',
    'Verified webhook entries stored, by outcome: new (a row was inserted) or duplicate (a platform retry).',
    ['platform', 'outcome'],
  ),
};
