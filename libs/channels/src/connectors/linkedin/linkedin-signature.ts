import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * LinkedIn webhook security (learn.microsoft.com/linkedin/shared/api-guide/webhook-validation):
 * - validation: GET ?challengeCode=… → {challengeCode, challengeResponse: hex HMAC-SHA256(challengeCode, clientSecret)};
 * - push events: `X-LI-Signature` = hex HMAC-SHA256("hmacsha256=" + the raw JSON body, clientSecret).
 *   The literal is part of the signed string; some integrations also send it as a header prefix,
 *   so a leading "hmacsha256=" on the header value is tolerated.
 */
export function linkedInChallengeResponse(clientSecret: string, challengeCode: string): string {
  return createHmac('sha256', clientSecret).update(challengeCode).digest('hex');
}

export function linkedInSign(clientSecret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', clientSecret)
    .update(Buffer.concat([Buffer.from('hmacsha256='), Buffer.from(rawBody)]))
    .digest('hex');
}

export function linkedInSignatureValid(
  clientSecret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const given = Buffer.from(
    header
      .trim()
      .replace(/^hmacsha256=/i, '')
      .toLowerCase(),
  );
  const expected = Buffer.from(linkedInSign(clientSecret, rawBody));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
