import { Injectable } from '@nestjs/common';
import { toDataURL } from 'qrcode';
import { EntityManager } from 'typeorm';
import { AuditService } from '@caredesk/audit';
import { AppError, ErrorCode, RequestContext, Role, SecretBox, SystemDb, TenantDb } from '@caredesk/core';
import { AgencyDto } from '../dto/agency.dto';
import { Agency } from '../entities/agency.entity';
import { TwoFactorSetupDto } from './dto/two-factor-setup.dto';
import { acceptedStep, isTotpCodeFormat, newTotpSecret, totpUri } from './totp';

interface TotpRow {
  email: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
}

/**
 * Optional TOTP sign-in for any user, which an agency can make mandatory. Secrets are sealed with
 * SecretBox bound to the user (associated data ['user', id]), so a value copied to another user's row
 * does not open. users is a global table, so it is read and written with the transaction's manager.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly db: TenantDb,
    private readonly systemDb: SystemDb,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  async beginSetup(ctx: RequestContext): Promise<TwoFactorSetupDto> {
    const userId = requireUser(ctx);
    const secret = newTotpSecret();
    const email = await this.db.run(ctx, async (tx) => {
      const row = await readTotp(tx.manager, userId);
      if (row.totp_enabled_at) throw AppError.conflict('Two-factor sign-in is already on; disable it first');
      await tx.query(`UPDATE users SET totp_pending_secret = $2, updated_at = now() WHERE id = $1`, [
        userId,
        this.box.seal(secret, ['user', userId]),
      ]);
      await this.audit.record(ctx, {
        action: 'user.two_factor_setup_begin',
        entityType: 'user',
        entityId: userId,
      });
      return row.email;
    });
    const otpauthUrl = totpUri(secret, email);
    return { secret, otpauthUrl, qrCodeDataUrl: await toDataURL(otpauthUrl) };
  }

  /** Turns two-factor sign-in on once the user proves the app has the pending secret. */
  async confirm(ctx: RequestContext, code: string): Promise<boolean> {
    const userId = requireUser(ctx);
    if (!isTotpCodeFormat(code)) throw AppError.badInput('The code must be 6 digits', 'code');
    await this.db.run(ctx, async (tx) => {
      const row = await readTotp(tx.manager, userId);
      if (row.totp_enabled_at) throw AppError.conflict('Two-factor sign-in is already on');
      if (!row.totp_pending_secret) throw AppError.badInput('Start with beginTwoFactorSetup', 'code');
      const secret = this.box.open(row.totp_pending_secret, ['user', userId]);
      const step = acceptedStep(secret, code, lastStep(row));
      if (step === null)
        throw AppError.badInput('That code is not valid; check the time on your device', 'code');
      // Guarded on the pending secret so a setup begun again concurrently is not confirmed by this code.
      const affected = await tx.execute(
        `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = now(),
                totp_last_step = $3, updated_at = now()
          WHERE id = $1 AND totp_pending_secret = $2 AND totp_enabled_at IS NULL`,
        [userId, row.totp_pending_secret, step],
      );
      if (affected !== 1) throw AppError.conflict('Two-factor setup changed meanwhile; start again');
      await this.audit.record(ctx, {
        action: 'user.two_factor_enable',
        entityType: 'user',
        entityId: userId,
      });
    });
    return true;
  }

  async disable(ctx: RequestContext, code: string): Promise<boolean> {
    const userId = requireUser(ctx);
    if (!isTotpCodeFormat(code)) throw AppError.badInput('The code must be 6 digits', 'code');
    await this.db.run(ctx, async (tx) => {
      const agency = await tx.manager.findOneByOrFail(Agency, { id: ctx.agencyId });
      if (agency.requireTwoFactor) {
        throw new AppError(ErrorCode.FORBIDDEN, 'This agency requires two-factor sign-in', {
          reason: 'TWO_FACTOR_REQUIRED_BY_AGENCY',
        });
      }
      const row = await readTotp(tx.manager, userId);
      if (!row.totp_enabled_at || !row.totp_secret)
        throw AppError.badInput('Two-factor sign-in is not on', 'code');
      if (!(await this.consume(tx.manager, userId, row.totp_secret, code, lastStep(row)))) {
        throw AppError.badInput('That code is not valid', 'code');
      }
      await tx.query(
        `UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, updated_at = now()
          WHERE id = $1`,
        [userId],
      );
      await this.audit.record(ctx, {
        action: 'user.two_factor_disable',
        entityType: 'user',
        entityId: userId,
      });
    });
    return true;
  }

  /** The second login step: true when `code` is valid now and its time step was not used before. */
  async verifyForLogin(userId: string, code: string): Promise<boolean> {
    if (!isTotpCodeFormat(code)) return false;
    return this.systemDb.run('login: verify the second factor', async (m) => {
      const row = await readTotp(m, userId);
      if (!row.totp_enabled_at || !row.totp_secret) return false;
      return this.consume(m, userId, row.totp_secret, code, lastStep(row));
    });
  }

  async setAgencyRequirement(ctx: RequestContext, required: boolean): Promise<AgencyDto> {
    ctx.requireRole(Role.ADMIN);
    return this.db.run(ctx, async (tx) => {
      const agency = await tx.manager.findOneByOrFail(Agency, { id: ctx.agencyId });
      if (agency.requireTwoFactor !== required) {
        await tx.manager.update(Agency, { id: ctx.agencyId }, { requireTwoFactor: required });
        await this.audit.record(ctx, {
          action: 'agency.two_factor_requirement',
          entityType: 'agency',
          entityId: ctx.agencyId,
          changes: { requireTwoFactor: { from: agency.requireTwoFactor, to: required } },
        });
      }
      return AgencyDto.from(await tx.manager.findOneByOrFail(Agency, { id: ctx.agencyId }));
    });
  }

  /**
   * Accepts a code at most once: the step is recorded with a conditional UPDATE, so of two requests
   * racing with the same code only one matches a row.
   */
  private async consume(
    m: EntityManager,
    userId: string,
    sealed: string,
    code: string,
    after: number | null,
  ): Promise<boolean> {
    const step = acceptedStep(this.box.open(sealed, ['user', userId]), code, after);
    if (step === null) return false;
    const [, affected] = await m.query(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [userId, step],
    );
    return affected === 1;
  }
}

function requireUser(ctx: RequestContext): string {
  if (!ctx.userId) throw AppError.forbidden('Two-factor sign-in is for users, not API keys');
  return ctx.userId;
}

function lastStep(row: TotpRow): number | null {
  return row.totp_last_step === null ? null : Number(row.totp_last_step);
}

async function readTotp(m: EntityManager, userId: string): Promise<TotpRow> {
  const [row] = await m.query(
    `SELECT email, totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step FROM users WHERE id = $1`,
    [userId],
  );
  if (!row) throw AppError.unauthenticated();
  return row;
}
