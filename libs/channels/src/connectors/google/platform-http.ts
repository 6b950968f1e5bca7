import { ConnectorError } from '../connector';

export interface PlatformResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (an HTML 502 page from a proxy). */
  body: unknown;
  /** The body as received, for platforms whose JSON numbers exceed 2^53 (TikTok ids). */
  text: string;
}

/**
 * One HTTP call to a platform API with the configured timeout. A timeout or a connection error is
 * TRANSIENT (the platform may or may not have acted: the send worker reconciles where it can); the
 * status is returned as is, for each connector to map with its platform's own error rules. `body` is
 * sent as JSON, `form` form-encoded (OAuth token endpoints, RFC 6749).
 */
export async function callPlatform(
  url: string,
  init: {
    method: string;
    headers?: Record<string, string>;
    body?: unknown;
    form?: Record<string, string>;
    timeoutMs: number;
  },
): Promise<PlatformResponse> {
  const [contentType, payload] =
    init.form !== undefined
      ? ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()]
      : init.body !== undefined
        ? ['application/json', JSON.stringify(init.body)]
        : [undefined, undefined];
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: {
        accept: 'application/json',
        ...(contentType ? { 'content-type': contentType } : {}),
        ...init.headers,
      },
      body: payload,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (e) {
    const reason = e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : 'connection failed';
    throw new ConnectorError('TRANSIENT', `${init.method} ${new URL(url).pathname} ${reason}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new ConnectorError('TRANSIENT', `${init.method} ${new URL(url).pathname}: response cut off`);
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** `Retry-After` in seconds (RFC 9110 §10.2.3: delta-seconds or an HTTP date); undefined when absent. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The usual HTTP mapping: 401/403 → AUTH_EXPIRED, 429 → RATE_LIMITED, 5xx → TRANSIENT, 4xx → REJECTED. */
export function httpError(res: PlatformResponse, what: string, detail: string): ConnectorError {
  const message = `${what}: ${res.status} ${detail}`.trim();
  if (res.status === 401 || res.status === 403) return new ConnectorError('AUTH_EXPIRED', message);
  if (res.status === 429) return new ConnectorError('RATE_LIMITED', message, retryAfterSeconds(res.headers));
  if (res.status >= 500) return new ConnectorError('TRANSIENT', message);
  return new ConnectorError('REJECTED', message);
}
