import { register } from 'prom-client';
import { constantTimeEqual } from '../crypto/tokens';

/** What a Prometheus scrape is answered, by the API's /metrics and the worker's alike. */
export interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Every metric registered in this process in the text exposition format — or, when `token`
 * (METRICS_TOKEN) is set and the request does not carry `Authorization: Bearer <token>`, a 401 with
 * a challenge and a coded error, and no metric.
 */
export async function answerMetricsScrape(
  authorization: string | undefined,
  token: string | undefined,
): Promise<MetricsAnswer> {
  if (token && !constantTimeEqual(bearerToken(authorization), token)) {
    return {
      status: 401,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'www-authenticate': 'Bearer realm="metrics"',
      },
      body: JSON.stringify({
        error: { code: 'UNAUTHENTICATED', message: 'A valid metrics token is required' },
      }),
    };
  }
  return { status: 200, headers: { 'content-type': register.contentType }, body: await register.metrics() };
}

/** The token of an `Authorization: Bearer …` header; '' for anything else. */
function bearerToken(header: string | undefined): string {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : '';
}
