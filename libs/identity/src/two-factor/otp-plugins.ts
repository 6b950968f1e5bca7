import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Base32Plugin, CryptoPlugin } from '@otplib/core';

/**
 * otplib's default plugins (@noble/hashes, @scure/base) ship only as ES modules, which the CommonJS
 * test runner cannot load; Node's own crypto does the same job, so these two small plugins are passed
 * to @otplib/totp explicitly instead of importing `otplib` and its defaults.
 */
export const nodeCrypto: CryptoPlugin = {
  name: 'node',
  algorithms: ['sha1', 'sha256', 'sha512'],
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
  constantTimeEqual: (a, b) => {
    const ab = Buffer.from(a as Uint8Array | string);
    const bb = Buffer.from(b as Uint8Array | string);
    return ab.length === bb.length && timingSafeEqual(ab, bb);
  },
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, the encoding of otpauth:// secrets. */
export const base32: Base32Plugin = {
  name: 'rfc4648',
  encode(data, options) {
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
    if (options?.padding) while (out.length % 8) out += '=';
    return out;
  },
  decode(str) {
    const clean = str.toUpperCase().replace(/=+$/, '').replace(/\s/g, '');
    const out: number[] = [];
    let bits = 0;
    let value = 0;
    for (const ch of clean) {
      const i = ALPHABET.indexOf(ch);
      if (i < 0) throw new Error('Invalid base32 character');
      value = (value << 5) | i;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return new Uint8Array(out);
  },
};
