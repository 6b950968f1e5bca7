import { ConnectorError } from '../connector';

/** Graph API error body: `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number };
}

/**
 * Graph API "Error handling" codes. Rate limits: 4 (app), 17 (user), 32 (page), 613 (calls within a
 * period) and 80001–80014 (business use case). Auth: 190 (invalid/expired token) and the legacy
 * session codes 102, 463 (expired), 467 (invalid). 1 and 2 are "unknown"/"service unavailable": retry.
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const AUTH_CODES = new Set([102, 190, 463, 467]);
const TRANSIENT_CODES = new Set([1, 2]);

export function graphError(status: number, headers: Headers, text: string): ConnectorError {
  let body: GraphErrorBody = {};
  try {
    body = JSON.parse(text) as GraphErrorBody;
  } catch {
    /* an HTML error page from a proxy: the status decides */
  }
  const code = body.error?.code;
  const message = `Graph API ${status}${code !== undefined ? ` (code ${code})` : ''}: ${
    body.error?.message ?? text.slice(0, 200)
  }`;
  if (code !== undefined && AUTH_CODES.has(code)) return new ConnectorError('AUTH_EXPIRED', message);
  if (
    status === 429 ||
    (code !== undefined && (RATE_LIMIT_CODES.has(code) || (code >= 80001 && code <= 80014)))
  ) {
    return new ConnectorError('RATE_LIMITED', message, retryAfter(headers));
  }
  if (status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code))) {
    return new ConnectorError('TRANSIENT', message);
  }
  return new ConnectorError('REJECTED', message);
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3); undefined when absent. */
function retryAfter(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
