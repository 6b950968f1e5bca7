import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * X's webhook security (docs.x.com "Securing webhooks", Account Activity API): both the CRC answer
 * and the `x-twitter-webhooks-signature` header are `sha256=` + base64(HMAC-SHA256(…, consumer secret)).
 */
export function xSign(consumerSecret: string, data: string | Buffer): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(data).digest('base64')}`;
}

/** The CRC answer body: X marks the webhook invalid unless this comes back within 3 s. */
export function xCrcResponse(consumerSecret: string, crcToken: string): string {
  return JSON.stringify({ response_token: xSign(consumerSecret, crcToken) });
}

/** Constant-time check of the POST signature over the raw bytes as received. */
export function xSignatureValid(
  consumerSecret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(xSign(consumerSecret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
