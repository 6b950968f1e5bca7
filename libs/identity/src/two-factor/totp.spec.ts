import { acceptedStep, newTotpSecret, totpCode, totpUri, TOTP_PERIOD_SECONDS } from './totp';
import { base32 } from './otp-plugins';

const at = (step: number) => step * TOTP_PERIOD_SECONDS * 1000;

describe('TOTP', () => {
  const secret = newTotpSecret();
  const step = 60_000_000;

  it('matches the RFC 6238 test vector (SHA-1, T = 59 s)', () => {
    const rfcSecret = base32.encode(new TextEncoder().encode('12345678901234567890'));
    expect(totpCode(rfcSecret, 59_000)).toBe('287082');
  });

  it('accepts the current code and one step either side, nothing further', () => {
    expect(acceptedStep(secret, totpCode(secret, at(step)), null, at(step) + 5000)).toBe(step);
    expect(acceptedStep(secret, totpCode(secret, at(step - 1)), null, at(step) + 5000)).toBe(step - 1);
    expect(acceptedStep(secret, totpCode(secret, at(step + 1)), null, at(step) + 5000)).toBe(step + 1);
    expect(acceptedStep(secret, totpCode(secret, at(step - 3)), null, at(step) + 5000)).toBeNull();
  });

  it('refuses a code whose step was already used, so it cannot be replayed', () => {
    expect(acceptedStep(secret, totpCode(secret, at(step)), step, at(step))).toBeNull();
    expect(acceptedStep(secret, totpCode(secret, at(step)), step - 1, at(step))).toBe(step);
  });

  it('refuses malformed codes without throwing', () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 456']) {
      expect(acceptedStep(secret, bad, null, at(step))).toBeNull();
    }
  });

  it('round-trips base32 and builds an otpauth URI authenticator apps read', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    expect([...base32.decode(base32.encode(bytes))]).toEqual([...bytes]);
    const uri = totpUri(secret, 'olivia@example.com');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Caredesk:olivia(%40|@)example\.com\?/);
    expect(uri).toContain(`secret=${secret}`);
  });
});
