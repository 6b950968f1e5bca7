import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const META_TEST_APP_SECRET = 'meta-test-app-secret-0123456789';
export const META_TEST_VERIFY_TOKEN = 'meta-test-verify-token';

/** A fixture from test/fixtures/meta as parsed JSON (a full delivery: `{object, entry: [...]}`). */
export function metaFixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'meta', `${name}.json`), 'utf8'));
}

/** `sha256=<hex>` exactly as Meta computes X-Hub-Signature-256: HMAC-SHA256 of the raw body, app secret as key. */
export function signMeta(rawBody: string | Buffer, secret = META_TEST_APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export interface SignedMetaDelivery {
  rawBody: string;
  headers: Record<string, string>;
}

/**
 * A delivery as Meta POSTs it: compact JSON, `Content-Type: application/json` and the signature
 * header. `replaceIds` rewrites ids in the serialized fixture (e.g. the page id → a test's own).
 */
export function signedMetaDelivery(
  body: unknown,
  opts: { secret?: string; signature?: string | null; replaceIds?: Record<string, string> } = {},
): SignedMetaDelivery {
  let rawBody = JSON.stringify(body);
  for (const [from, to] of Object.entries(opts.replaceIds ?? {})) rawBody = rawBody.split(from).join(to);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'facebookexternalua',
  };
  const sig = opts.signature === undefined ? signMeta(rawBody, opts.secret) : opts.signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  return { rawBody, headers };
}

/** POSTs a signed delivery to `${baseUrl}/webhooks/meta`. */
export async function postMetaWebhook(baseUrl: string, delivery: SignedMetaDelivery): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/meta`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.rawBody,
  });
}
