import { ConnectorError } from '../connector';

/**
 * Calls to the X API v2 with the user's OAuth 2.0 token, mapping failures to ConnectorError codes
 * (docs.x.com "Rate limits", "Error handling"): 429 carries `x-rate-limit-reset` (epoch seconds)
 * → RATE_LIMITED; 401 → AUTH_EXPIRED (token expired or revoked); 5xx, timeouts and connection errors
 * → TRANSIENT; any other 4xx → REJECTED (a retry would get the same answer).
 */
export class XApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    token: string,
    body?: unknown,
  ): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ConnectorError('TRANSIENT', `X ${method} ${path}: ${(err as Error).name}`);
    }
    const text = await res.text().catch(() => '');
    if (res.ok) return (text ? JSON.parse(text) : {}) as T;
    const detail = errorDetail(text);
    if (res.status === 429) {
      throw new ConnectorError('RATE_LIMITED', `X rate limit: ${detail}`, retryAfter(res.headers));
    }
    if (res.status === 401) throw new ConnectorError('AUTH_EXPIRED', `X refused the token: ${detail}`);
    if (res.status >= 500) throw new ConnectorError('TRANSIENT', `X ${res.status}: ${detail}`);
    throw new ConnectorError('REJECTED', `X ${res.status}: ${detail}`);
  }
}

/** Seconds to wait: X's reset time first, then a standard Retry-After, else a minute. */
export function retryAfter(headers: Headers, now = Date.now()): number {
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - now / 1000));
  const after = Number(headers.get('retry-after'));
  if (Number.isFinite(after) && after > 0) return Math.ceil(after);
  return 60;
}

/** X v2 errors are problem+json ({title, detail}); older ones are {errors:[{message}]}. */
function errorDetail(text: string): string {
  try {
    const b = JSON.parse(text) as { detail?: string; title?: string; errors?: { message?: string }[] };
    return b.detail ?? b.title ?? b.errors?.[0]?.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
