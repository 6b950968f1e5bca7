import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { IsNull, MoreThan } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  AppError,
  MailService,
  randomToken,
  sha256,
  SystemDb,
  TenantDb,
} from '@caredesk/core';
import { AuthService, normalizeEmail } from '../auth/auth.service';
import { RefreshToken } from '../entities/refresh-token.entity';
import { User } from '../entities/user.entity';
import { PasswordService } from '../passwords/password.service';
import { passwordResetMail } from './password-reset-mail';
import { PasswordResetToken } from './password-reset-token.entity';

export const RESET_TOKEN_TTL_MS = 3600 * 1000;
/** Per email and hour: enough for a lost mail or two, too few to mail-bomb someone. Excess requests are silently dropped. */
export const MAX_RESET_MAILS_PER_HOUR = 5;

const INVALID_TOKEN = 'This reset link is invalid, has expired or was already used';

/**
 * Password reset by mailed, single-use, one-hour link. `users` and `password_reset_tokens` are global
 * tables, hence SystemDb. An invalid, used or expired token is BAD_USER_INPUT on field `token` (the
 * link is the client's input, not an entity the client addresses).
 */
@Injectable()
export class PasswordResetService implements OnApplicationShutdown {
  private readonly log = new Logger(PasswordResetService.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly systemDb: SystemDb,
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Always true. Both answers cost the same one look-up: issuing the token and enqueueing the mail
   * happen after the response, so its timing does not tell whether the email has an account.
   */
  async request(rawEmail: string): Promise<boolean> {
    const email = normalizeEmail(rawEmail);
    const user = await this.systemDb.run('password reset: find user by email', (m) =>
      m.findOneBy(User, { email }),
    );
    if (user) {
      const work = this.issue(user).catch((e) => this.log.error(`password reset mail failed: ${String(e)}`));
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    }
    return true;
  }

  async reset(token: string, newPassword: string): Promise<boolean> {
    const tokenHash = sha256(token);
    const found = await this.systemDb.run('password reset: read token', async (m) => {
      const t = await m.findOneBy(PasswordResetToken, { tokenHash });
      const user = t ? await m.findOneBy(User, { id: t.userId }) : null;
      return t && user ? { t, user } : null;
    });
    if (!found || found.t.usedAt || found.t.expiresAt <= new Date())
      throw AppError.badInput(INVALID_TOKEN, 'token');
    const { t, user } = found;
    this.passwords.assertAcceptable(newPassword, 'newPassword', [
      user.email,
      user.email.split('@')[0],
      user.name,
    ]);
    const passwordHash = await this.passwords.hash(newPassword);

    await this.systemDb.run('password reset: set the new password', async (m) => {
      // Locked and re-checked: of two concurrent uses of one link, exactly one succeeds.
      const locked = await m
        .createQueryBuilder(PasswordResetToken, 't')
        .where('t.id = :id', { id: t.id })
        .setLock('pessimistic_write')
        .getOne();
      if (!locked || locked.usedAt) throw AppError.badInput(INVALID_TOKEN, 'token');
      // Every outstanding link of this user dies with this one.
      await m.update(PasswordResetToken, { userId: user.id, usedAt: IsNull() }, { usedAt: new Date() });
      // password_changed_at makes access tokens issued before it invalid (checked by the auth guard).
      await m.update(User, { id: user.id }, { passwordHash, passwordChangedAt: () => 'now()' });
    });

    // Refresh tokens live in each agency's tenant tables: one tenant transaction per agency.
    for (const agency of await this.auth.agenciesOf(user.id)) {
      await this.db.run(agency.id, (tx) =>
        tx.repo(RefreshToken).update({ userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() }),
      );
    }
    return true;
  }

  private async issue(user: User): Promise<void> {
    const secret = randomToken();
    const issued = await this.systemDb.run('password reset: issue token', async (m) => {
      // Requests are answered before their token is issued, so several issue at once: serialized per
      // user, or each would count the same tokens and all pass the hourly limit.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`password-reset:${user.id}`]);
      const recent = await m.countBy(PasswordResetToken, {
        userId: user.id,
        createdAt: MoreThan(new Date(Date.now() - 3600 * 1000)),
      });
      if (recent >= MAX_RESET_MAILS_PER_HOUR) return false;
      await m.insert(PasswordResetToken, {
        id: randomUUID(),
        userId: user.id,
        tokenHash: sha256(secret),
        expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS),
      });
      return true;
    });
    // Enqueued after the token committed (SystemDb.run has returned), so the link in the mail works.
    if (issued) {
      const url = `${this.config.appUrl}/reset-password?token=${encodeURIComponent(secret)}`;
      await this.mail.enqueue(passwordResetMail(user.email, url));
    } else {
      this.log.warn('password reset: per-email hourly limit reached; request dropped');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
