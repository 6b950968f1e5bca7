import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const key = (id: string) => ({ id, key: randomBytes(32) });
const box = (active: { id: string; key: Buffer }, previous: { id: string; key: Buffer }[] = []) =>
  new SecretBox({ encryption: { activeKey: active, previousKeys: previous } });

describe('SecretBox', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('round-trips and stores the key id, never the plaintext', () => {
    const sealed = box(k1).seal('s3cret-token', ['agency', 'row']);
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(sealed).not.toContain('s3cret');
    expect(box(k1).open(sealed, ['agency', 'row'])).toBe('s3cret-token');
  });

  it('uses a fresh IV each time', () => {
    expect(box(k1).seal('same', ['a'])).not.toBe(box(k1).seal('same', ['a']));
  });

  it('refuses other associated data: a ciphertext copied to another row does not open', () => {
    const sealed = box(k1).seal('x', ['agency-a', 'row-1']);
    expect(() => box(k1).open(sealed, ['agency-b', 'row-1'])).toThrow();
    expect(() => box(k1).open(sealed, ['agency-a', 'row-2'])).toThrow();
  });

  it('refuses tampered data', () => {
    const parts = box(k1).seal('hello world', ['a']).split('.');
    const data = Buffer.from(parts[4], 'base64');
    data[0] ^= 1;
    parts[4] = data.toString('base64');
    expect(() => box(k1).open(parts.join('.'), ['a'])).toThrow();
  });

  it('rotates: a value sealed with an old key opens while that key is in ENCRYPTION_KEYS_PREVIOUS', () => {
    const old = box(k1).seal('legacy', ['a', 'b']);
    const rotated = box(k2, [k1]);
    expect(rotated.open(old, ['a', 'b'])).toBe('legacy');
    expect(rotated.needsRotation(old)).toBe(true);
    const resealed = rotated.seal('legacy', ['a', 'b']);
    expect(resealed.startsWith('v1.k2.')).toBe(true);
    expect(rotated.needsRotation(resealed)).toBe(false);
    // Once the old key is retired, its values no longer open.
    expect(() => box(k2).open(old, ['a', 'b'])).toThrow(/unknown format or key/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => box({ id: 'short', key: randomBytes(16) })).toThrow(/not 32 bytes/);
  });
});
