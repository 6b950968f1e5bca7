import type { Request } from 'express';
import { WebhookRequest } from '../connectors/connector';

/** Same ceiling as the API's JSON parser; platform deliveries are far smaller. */
const MAX_RAW_BYTES = 2 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/**
 * The exact bytes of the request body, for signature checks. The API is created with rawBody: true,
 * so the JSON and urlencoded parsers keep `req.rawBody`; any other content type (text/plain,
 * application/octet-stream, a platform sending none) is not parsed at all, so the stream is still
 * unread and is read here.
 */
export async function rawBodyOf(req: Request & { rawBody?: Buffer }): Promise<Buffer> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (!req.readable) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_RAW_BYTES) throw new BodyTooLargeError();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function toWebhookRequest(req: Request & { rawBody?: Buffer }): Promise<WebhookRequest> {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  const query: Record<string, string | undefined> = {};
  const url = new URL(req.originalUrl ?? req.url, 'http://local');
  // Raw query pairs (not Express's parsed object): `hub.challenge` must stay one key, not hub → {challenge}.
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
  return {
    method: req.method === 'GET' ? 'GET' : 'POST',
    headers,
    query,
    rawBody: req.method === 'GET' ? Buffer.alloc(0) : await rawBodyOf(req),
  };
}
