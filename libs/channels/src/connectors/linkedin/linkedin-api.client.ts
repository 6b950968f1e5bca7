import { ConnectorError } from '../connector';

/**
 * The versioned LinkedIn Marketing API ("/rest"): every call names its `LinkedIn-Version` (YYYYMM)
 * and Rest.li protocol 2.0.0, which is also why URNs in paths are URL-encoded
 * (learn.microsoft.com/linkedin/marketing/versioning).
 */
export const LINKEDIN_VERSION = '202505';

/**
 * Failure mapping (LinkedIn "Error handling", "Rate limits"): 401 → AUTH_EXPIRED (token expired or
 * revoked); 429 → RATE_LIMITED (LinkedIn's daily quotas send no Retry-After as a rule; we honour
 * one when present, else wait a minute); 5xx, timeouts, connection errors → TRANSIENT; other 4xx → REJECTED.
 */
export class LinkedInApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ headers: Headers; body: Record<string, unknown> }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'linkedin-version': LINKEDIN_VERSION,
          'x-restli-protocol-version': '2.0.0',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ConnectorError('TRANSIENT', `LinkedIn ${method} ${path}: ${(err as Error).name}`);
    }
    const text = await res.text().catch(() => '');
    if (res.ok) return { headers: res.headers, body: parse(text) };
    const detail = String(parse(text).message ?? text.slice(0, 200));
    if (res.status === 429) {
      const after = Number(res.headers.get('retry-after'));
      throw new ConnectorError(
        'RATE_LIMITED',
        `LinkedIn throttled: ${detail}`,
        Number.isFinite(after) && after > 0 ? Math.ceil(after) : 60,
      );
    }
    if (res.status === 401) throw new ConnectorError('AUTH_EXPIRED', `LinkedIn refused the token: ${detail}`);
    if (res.status >= 500) throw new ConnectorError('TRANSIENT', `LinkedIn ${res.status}: ${detail}`);
    throw new ConnectorError('REJECTED', `LinkedIn ${res.status}: ${detail}`);
  }
}

function parse(text: string): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
