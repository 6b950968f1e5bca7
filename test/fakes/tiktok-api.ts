import { createHmac, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Server, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, shutDown } from './loopback';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * A programmed answer: an HTTP status, a Business API error code inside an HTTP 200 (how TikTok
 * reports most errors), or a stall (the client's timeout fires).
 */
export type TikTokFailure =
  { status: number; retryAfter?: string } | { code: number; message?: string } | { hang: true };

export interface FakeTikTokApi {
  url: string;
  requests: RecordedRequest[];
  validTokens: Set<string>;
  /** Replies created through reply/create (ids as the strings TikTok would send as numbers). */
  replies: Array<Record<string, unknown>>;
  failNext(...failures: TikTokFailure[]): void;
  close(): Promise<void>;
}

const envelope = (code: number, message: string, data: unknown = {}) => ({
  code,
  message,
  request_id: `2026112400${randomInt(1e9, 9e9)}`,
  data,
});

/** The TikTok Business API comment reply endpoint on 127.0.0.1 (`Access-Token` header, JSON envelope). */
export async function startFakeTikTokApi(): Promise<FakeTikTokApi> {
  const requests: RecordedRequest[] = [];
  const failures: TikTokFailure[] = [];
  const validTokens = new Set(['act.tiktok-access-token']);
  const hanging: ServerResponse[] = [];
  const replies: Array<Record<string, unknown>> = [];

  const server: Server = createServer(async (req, res) => {
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
    if (failure && 'hang' in failure) return void hanging.push(res);
    if (failure && 'status' in failure) {
      res.writeHead(failure.status, {
        'content-type': 'application/json',
        ...(failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}),
      });
      return void res.end(JSON.stringify(envelope(50000, 'Server error')));
    }
    if (failure) return json(res, envelope(failure.code, failure.message ?? 'Programmed failure'));
    const token = req.headers['access-token'];
    if (typeof token !== 'string' || !validTokens.has(token)) {
      return json(res, envelope(40105, 'The access token is invalid or has been revoked.'));
    }
    if (req.method === 'POST' && path === '/open_api/v1.3/business/comment/reply/create/') {
      const missing = ['business_id', 'video_id', 'comment_id', 'text'].find((k) => !body?.[k]);
      if (missing) return json(res, envelope(40002, `${missing} is required`));
      const reply = {
        comment_id: `74419${randomInt(1e9, 9e9)}${randomInt(1e3, 9e3)}`,
        video_id: body.video_id,
        parent_comment_id: body.comment_id,
        text: body.text,
        owner: true,
        create_time: Math.floor(Date.now() / 1000),
      };
      replies.push(reply);
      return json(res, envelope(0, 'OK', reply));
    }
    if (req.method === 'GET' && path === '/open_api/v1.3/business/comment/reply/list/') {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const comments = replies.filter(
        (r) => r.video_id === q.get('video_id') && r.parent_comment_id === q.get('comment_id'),
      );
      return json(res, envelope(0, 'OK', { comments, cursor: comments.length, has_more: false }));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(envelope(40404, 'Not found')));
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    validTokens,
    replies,
    failNext: (...f) => failures.push(...f),
    close: () => shutDown(server, hanging),
  };
}

/** Ids go out as bare JSON numbers, as TikTok documents them (beyond 2^53: clients must not round). */
function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body).replace(/"(comment_id|video_id|parent_comment_id)":"(\d+)"/g, '"$1":$2'));
}

export const TIKTOK_FIXTURES = join(__dirname, '../fixtures/tiktok');

/** The raw bytes of a fixture, exactly as TikTok would POST them. */
export function tiktokFixture(name: string): Buffer {
  return readFileSync(join(TIKTOK_FIXTURES, `${name}.json`));
}

/** `TikTok-Signature` exactly as TikTok computes it: HMAC-SHA256 of `<t>.<body>`, hex. */
export function tiktokSignature(rawBody: Buffer, secret: string, t = Math.floor(Date.now() / 1000)): string {
  const s = createHmac('sha256', secret)
    .update(`${t}.${rawBody.toString('utf8')}`)
    .digest('hex');
  return `t=${t},s=${s}`;
}
