import { registeredCounter } from '@caredesk/core';

/** How ingest yielded to webhook intake (IngestPacer), served by the worker's /metrics. */
export const ingestPacerMetrics = {
  batches: registeredCounter(
    'caredesk_ingest_batches_total',
    'Ingest batches started, by pace: quiet (intake quiet), yielding (intake busy: small batches, resting), ' +
      'overdue (intake busy longer than INGEST_MAX_DEFER_SECONDS: full batches again).',
    ['pace'],
  ),
  restSeconds: registeredCounter(
    'caredesk_ingest_rest_seconds_total',
    'Seconds ingest batches waited for busy webhook intake before they started.',
    [],
  ),
};
