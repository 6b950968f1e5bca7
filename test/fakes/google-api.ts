import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, shutDown } from './loopback';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A programmed answer for the next request: a status with Google's error body, or a stall. */
export type GoogleFailure = { status: number; retryAfter?: string; message?: string } | { hang: true };

export interface FakeGoogleApi {
  url: string;
  requests: RecordedRequest[];
  /** Tokens the fake accepts as `Authorization: Bearer …`. */
  validTokens: Set<string>;
  /** Answers the next requests with these, in order, before behaving normally again. */
  failNext(...failures: GoogleFailure[]): void;
  /** Reviews the fake knows (for GET), by name; replies written by PUT land here. */
  reviews: Map<string, any>;
  close(): Promise<void>;
}

const REVIEW_PATH = /^\/v4\/(accounts\/[^/]+\/locations\/[^/]+\/reviews\/[^/]+)(\/reply)?$/;

/**
 * The Business Profile v4 reviews API on 127.0.0.1: updateReply (PUT …/reply → ReviewReply),
 * deleteReply (DELETE …/reply → empty), reviews.get. Errors use Google's JSON error body
 * `{ error: { code, message, status } }`.
 */
export async function startFakeGoogleApi(): Promise<FakeGoogleApi> {
  const requests: RecordedRequest[] = [];
  const failures: GoogleFailure[] = [];
  const validTokens = new Set<string>(['google-access-token']);
  const reviews = new Map<string, any>();
  const hanging: ServerResponse[] = [];

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });

    const failure = failures.shift();
    if (failure && 'hang' in failure) {
      hanging.push(res);
      return;
    }
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': failure.retryAfter } : {};
      return sendError(res, failure.status, failure.message ?? 'Programmed failure', headers);
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !validTokens.has(token)) {
      return sendError(res, 401, 'Request had invalid authentication credentials.');
    }
    const m = REVIEW_PATH.exec(path);
    if (!m) return sendError(res, 404, 'Requested entity was not found.');
    const [, name, reply] = m;
    if (req.method === 'PUT' && reply) {
      if (typeof body?.comment !== 'string' || !body.comment)
        return sendError(res, 400, 'comment is required');
      const reviewReply = { comment: body.comment, updateTime: new Date().toISOString() };
      reviews.set(name, { ...(reviews.get(name) ?? { name }), reviewReply });
      return sendJson(res, 200, reviewReply);
    }
    if (req.method === 'DELETE' && reply) {
      const review = reviews.get(name);
      if (review) delete review.reviewReply;
      return sendJson(res, 200, {});
    }
    if (req.method === 'GET' && !reply) {
      const review = reviews.get(name);
      return review ? sendJson(res, 200, review) : sendError(res, 404, 'Requested entity was not found.');
    }
    return sendError(res, 404, 'Requested entity was not found.');
  });
  const url = await listenOnLoopback(server);

  return {
    url,
    requests,
    validTokens,
    reviews,
    failNext: (...f) => failures.push(...f),
    close: () => shutDown(server, hanging),
  };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function sendError(res: ServerResponse, code: number, message: string, headers: Record<string, string> = {}) {
  sendJson(res, code, { error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

export const GOOGLE_FIXTURES = join(__dirname, '../fixtures/google');

export function googleNotification(name: string): any {
  return JSON.parse(readFileSync(join(GOOGLE_FIXTURES, `${name}.json`), 'utf8'));
}

/**
 * A Pub/Sub push request body around a notification, as Pub/Sub sends it ("Receive messages using
 * push": `message.data` is the base64 of the published bytes; `messageId` is unique per topic).
 */
export function pubsubPush(
  notification: unknown,
  messageId = `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
) {
  return {
    message: {
      attributes: { type: (notification as any).notificationType ?? 'UNKNOWN' },
      data: Buffer.from(JSON.stringify(notification)).toString('base64'),
      messageId,
      message_id: messageId,
      publishTime: '2026-11-22T18:41:08.201Z',
      publish_time: '2026-11-22T18:41:08.201Z',
    },
    subscription: 'projects/caredesk-prod/subscriptions/gbp-notifications-push',
  };
}
