import { generateSync, verifySync } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { base32, nodeCrypto } from './otp-plugins';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 30 s steps, 6 digits. */
export const TOTP_PERIOD_SECONDS = 30;
const CODE = /^\d{6}$/;

/** 20 random bytes (160 bits, the RFC 4226 recommendation), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return base32.encode(nodeCrypto.randomBytes(20));
}

export function totpUri(secret: string, accountName: string, issuer = 'Caredesk'): string {
  return generateTOTP({ issuer, label: accountName, secret, period: TOTP_PERIOD_SECONDS, digits: 6 });
}

/** The code for a moment (tests and tools; the server never needs to show a code). */
export function totpCode(secret: string, nowMs: number = Date.now()): string {
  return generateSync({
    secret,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(nowMs / 1000),
    crypto: nodeCrypto,
    base32,
  });
}

export function isTotpCodeFormat(code: unknown): code is string {
  return typeof code === 'string' && CODE.test(code);
}

/**
 * Returns the time step `code` belongs to, or null. One step either side is accepted for clock
 * drift (RFC 6238 §5.2); a step at or before `afterStep` is refused so a code works only once.
 */
export function acceptedStep(
  secret: string,
  code: string,
  afterStep: number | null,
  nowMs: number = Date.now(),
): number | null {
  if (!isTotpCodeFormat(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      period: TOTP_PERIOD_SECONDS,
      epoch: Math.floor(nowMs / 1000),
      epochTolerance: TOTP_PERIOD_SECONDS,
      crypto: nodeCrypto,
      base32,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid ? result.timeStep : null;
  } catch {
    return null;
  }
}
