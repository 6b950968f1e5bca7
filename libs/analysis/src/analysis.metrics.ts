import { registeredCounter } from '@caredesk/core';

export const analysisMetrics = {
  fallbacks: registeredCounter(
    'caredesk_analysis_fallback_total',
    'Texts analysed locally because the external analysis service failed, by reason (timeout, http, invalid, network).',
    ['reason'],
  ),
};
