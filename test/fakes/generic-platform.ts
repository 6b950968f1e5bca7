import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, shutDown } from './loopback';

/**
 * A generic social platform for the send worker's tests, speaking a Graph-API-like wire format over
 * real HTTP on 127.0.0.1, so retries, Retry-After and timeouts are real network behaviour:
 *
 *   POST /v1/{account}/messages   {action, text, target, recipient_id, idempotency_key}  → 200 {id}
 *   GET  /v1/{account}/messages?idempotency_key=K                                         → 200 {data: [{id}]}
 *   POST /v1/{object-id}/moderation {action: HIDE|UNHIDE|DELETE}                          → 200 {success: true}
 *
 * Errors use Meta's envelope `{error: {message, type, code}}`. Scripted answers apply to the next
 * POSTs in order; after the script runs out every POST succeeds.
 */
export interface FakeRequest {
  at: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export type Scripted =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Creates the message (the platform accepted it) but never answers: the client times out. */
  | { hang: true };

export interface GenericPlatform {
  url: string;
  requests: FakeRequest[];
  /** Messages created, by idempotency key. */
  created: Map<string, { id: string; body: any }>;
  script(...answers: Scripted[]): void;
  posts(path?: RegExp): FakeRequest[];
  close(): Promise<void>;
}

export async function startGenericPlatform(): Promise<GenericPlatform> {
  const requests: FakeRequest[] = [];
  const created = new Map<string, { id: string; body: any }>();
  const script: Scripted[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : null;
      requests.push({
        at: Date.now(),
        method: req.method ?? '',
        path: url.pathname,
        headers: req.headers,
        body,
      });
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };

      if (req.method === 'GET' && /^\/v1\/[^/]+\/messages$/.test(url.pathname)) {
        const hit = created.get(url.searchParams.get('idempotency_key') ?? '');
        return json(200, { data: hit ? [{ id: hit.id }] : [] });
      }
      if (req.method !== 'POST')
        return json(404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } });

      const next = script.shift();
      const isMessage = /^\/v1\/[^/]+\/messages$/.test(url.pathname);
      const create = () => {
        const key = body?.idempotency_key ?? randomUUID();
        const id = created.get(key)?.id ?? `gen_${created.size + 1}_${randomUUID().slice(0, 8)}`;
        created.set(key, { id, body });
        return id;
      };
      if (next && 'hang' in next) {
        if (isMessage) create();
        return; // never answered
      }
      if (next && next.status >= 300)
        return json(next.status, next.body ?? errorBody(next.status), next.headers);
      if (isMessage) return json(200, { id: create() });
      if (/^\/v1\/[^/]+\/moderation$/.test(url.pathname)) return json(200, { success: true });
      return json(404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } });
    });
  });
  const url = await listenOnLoopback(server);

  return {
    url,
    requests,
    created,
    script: (...answers) => void script.push(...answers),
    posts: (path) => requests.filter((r) => r.method === 'POST' && (!path || path.test(r.path))),
    close: () => shutDown(server),
  };
}

/** Meta-style error envelopes (Graph API "Handling Errors"): 190 = invalid/expired token, 4 = rate limit. */
function errorBody(status: number): unknown {
  if (status === 401)
    return {
      error: {
        message: 'Error validating access token: Session has expired',
        type: 'OAuthException',
        code: 190,
      },
    };
  if (status === 429)
    return { error: { message: 'Application request limit reached', type: 'OAuthException', code: 4 } };
  if (status >= 500)
    return {
      error: {
        message: 'An unexpected error has occurred. Please retry your request later.',
        type: 'OAuthException',
        code: 2,
      },
    };
  return { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } };
}
