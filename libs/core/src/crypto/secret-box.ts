import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, EncryptionKeySpec } from '../config/app-config';

const VERSION = 'v1';

/**
 * AES-256-GCM for secrets at rest (channel credentials, TOTP secrets).
 *
 * Ciphertext format: `v1.<keyId>.<iv b64>.<tag b64>.<data b64>`. The key id lets keys rotate: new
 * values use ENCRYPTION_KEY, old ones still open with ENCRYPTION_KEYS_PREVIOUS. The associated data
 * binds a ciphertext to its row (agency id + row id), so a value copied into another tenant's row
 * fails authentication instead of decrypting.
 */
@Injectable()
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly active: EncryptionKeySpec;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'encryption'>) {
    this.active = config.encryption.activeKey;
    for (const k of [config.encryption.activeKey, ...config.encryption.previousKeys]) {
      if (k.key.length !== 32) throw new Error(`Encryption key ${k.id} is not 32 bytes`);
      this.keys.set(k.id, k.key);
    }
  }

  seal(plaintext: string, associatedData: string[]): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(associatedData.join('|'), 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.active.id,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join('.');
  }

  open(sealed: string, associatedData: string[]): string {
    const [version, keyId, iv, tag, data] = sealed.split('.');
    const key = this.keys.get(keyId);
    if (version !== VERSION || !key || !iv || !tag || data === undefined) {
      throw new Error('Secret cannot be opened: unknown format or key');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData.join('|'), 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }

  /** True when a value was sealed with a key other than the active one and should be re-sealed. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.active.id;
  }
}
