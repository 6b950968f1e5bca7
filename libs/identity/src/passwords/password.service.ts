import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppError } from '@caredesk/core';
import { isCommonPassword } from './common-passwords';

/**
 * argon2id at the OWASP Password Storage Cheat Sheet minimum (m=19 MiB, t=2, p=1).
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

@Injectable()
export class PasswordService {
  /** Verified against when the email is unknown, so both failures take the same time. */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      this.dummyHash ??= this.hash('caredesk-timing-equaliser');
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return argon2.verify(hash, password).catch(() => false);
  }

  /** Throws BAD_USER_INPUT naming the field for a password that is too short, too long or common. */
  assertAcceptable(password: string, field = 'password', context: string[] = []): void {
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
      throw AppError.badInput(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, field);
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw AppError.badInput(`Password must be at most ${MAX_PASSWORD_LENGTH} characters`, field);
    }
    const lower = password.toLowerCase();
    if (isCommonPassword(password) || context.some((c) => c && lower === c.toLowerCase())) {
      throw AppError.badInput('This password is too common; choose another', field);
    }
  }
}
