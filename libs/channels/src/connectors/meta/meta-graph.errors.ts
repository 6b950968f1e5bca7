import { ConnectorError } from '../connector';

/** Graph API error body: `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number };
}

/**
 * Graph API "Error handling" codes. Rate limits: 4 (app), 17 (user), 32 (page), 613 (calls within a
 * period) and 80001–80014 (business use case). Auth: 190 (invalid/expired token) and the legacy
 * session codes 102, 463 (expired), 467 (invalid). 1 and 2 are "unknown"/"service unavailable": retry.
 * Permissions: 10 ("API Permission Denied: permission is either not granted or has been removed") and
 * 200–299 ("API Permission", e.g. 200 "Requires pages_messaging permission", 230
 * pages_messaging_phone_number) — the Page admin removed a permission or the app's access, and only a
 * new login grants it again, so the channel needs reconnecting like with an expired token. Messenger
 * reuses 10 and 200 with an `error_subcode` for conditions of one recipient or one message
 * (Messenger Platform "Common Error Codes": 10/2018278 outside the allowed window, 10/2018108 and
 * 200/1545041 the person is not receiving messages, 200/2018028 app not live…): those stay REJECTED,
 * since reconnecting would not change them, except the window ones (WINDOW_CLOSED).
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const AUTH_CODES = new Set([102, 190, 463, 467]);
const TRANSIENT_CODES = new Set([1, 2]);
/** 10/2018278 "This message is sent outside of allowed window", 10/2018065 the same for news. */
const WINDOW_SUBCODES = new Set([2018278, 2018065]);
/** Private Replies: "Activity already replied to" — a comment takes one private reply. */
export const ALREADY_REPLIED_CODE = 10900;

/** A ConnectorError that keeps Meta's own code, for callers that handle one of them (10900). */
export class MetaGraphError extends ConnectorError {
  constructor(
    code: ConnectorError['code'],
    message: string,
    readonly graphCode: number | undefined,
    retryAfterSeconds?: number,
  ) {
    super(code, message, retryAfterSeconds);
  }
}

function isPermissionError(code: number | undefined, subcode: number | undefined): boolean {
  if (code === undefined || subcode !== undefined) return false;
  return code === 10 || (code >= 200 && code <= 299);
}

export function graphError(status: number, headers: Headers, text: string): MetaGraphError {
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
  const subcode = body.error?.error_subcode;
  const error = (kind: ConnectorError['code'], retryAfterSeconds?: number) =>
    new MetaGraphError(kind, message, code, retryAfterSeconds);
  if (code !== undefined && AUTH_CODES.has(code)) return error('AUTH_EXPIRED');
  if (isPermissionError(code, subcode)) return error('AUTH_EXPIRED');
  if (code === 10 && subcode !== undefined && WINDOW_SUBCODES.has(subcode)) return error('WINDOW_CLOSED');
  if (
    status === 429 ||
    (code !== undefined && (RATE_LIMIT_CODES.has(code) || (code >= 80001 && code <= 80014)))
  ) {
    return error('RATE_LIMITED', retryAfter(headers));
  }
  if (status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code))) return error('TRANSIENT');
  return error('REJECTED');
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
