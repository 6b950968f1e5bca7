import type { IncomingMessage } from 'node:http';
import { WebhookRequest } from '../connectors/connector';

/** Same ceiling as the API's JSON parser; platform deliveries are far smaller. */
export const MAX_RAW_BYTES = 2 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** The exact bytes of the request body, for signature checks (no parser has touched the stream). */
export async function rawBodyOf(req: IncomingMessage, maxBytes = MAX_RAW_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > maxBytes) throw new BodyTooLargeError();
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

export async function toWebhookRequest(
  req: IncomingMessage,
  url: URL,
  maxBytes = MAX_RAW_BYTES,
): Promise<WebhookRequest> {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  // Raw query pairs: `hub.challenge` must stay one key, not hub → {challenge}.
  const query: Record<string, string | undefined> = {};
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
  return {
    method: req.method === 'GET' ? 'GET' : 'POST',
    headers,
    query,
    rawBody: req.method === 'GET' ? Buffer.alloc(0) : await rawBodyOf(req, maxBytes),
  };
}
