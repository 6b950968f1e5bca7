import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  AppError,
  constantTimeEqual,
  isUuid,
  randomToken,
  sha256,
  TenantDb,
} from '@caredesk/core';
import { Membership } from '../entities/membership.entity';
import { User } from '../entities/user.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import { TokenService } from './token.service';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface ParsedRefreshToken {
  agencyId: string;
  id: string;
  secret: string;
}

export interface Rotated extends TokenPair {
  agencyId: string;
  userId: string;
}

const REFRESH_FAILED = 'This refresh token is not valid; log in again';

/** `<agencyId>.<id>.<secret>`, or null for anything else (never throws on client input). */
export function parseRefreshToken(token: unknown): ParsedRefreshToken | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const [agencyId, id, secret, extra] = token.split('.');
  if (extra !== undefined || !isUuid(agencyId) || !isUuid(id) || !secret) return null;
  return { agencyId: agencyId.toLowerCase(), id: id.toLowerCase(), secret };
}

type RotateOutcome = { ok: true; pair: Rotated } | { ok: false };

/**
 * Issues access + refresh token pairs. A refresh token reads `<agencyId>.<id>.<secret>`: the agency
 * id lets it be looked up inside that tenant's RLS scope before anyone is authenticated.
 *
 * Refresh tokens rotate: each is single-use and its successor joins the same family. Presenting a
 * used token again means two parties hold the family (one of them stole it), so the whole family is
 * revoked and both must log in again (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly db: TenantDb,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(
    agencyId: string,
    userId: string,
    mfa: boolean,
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const id = randomUUID();
    const secret = randomToken();
    await this.db.run(agencyId, (tx) =>
      tx.repo(RefreshToken).insert({
        id,
        userId,
        familyId,
        mfa,
        tokenHash: sha256(secret),
        expiresAt: new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000),
      }),
    );
    return {
      accessToken: this.tokens.signAccess({ sub: userId, aid: agencyId, mfa }),
      refreshToken: `${agencyId}.${id}.${secret}`,
    };
  }

  /**
   * Exchanges a refresh token for the next pair of its family, keeping the family's `mfa` flag.
   * Throws UNAUTHENTICATED for a malformed, unknown, expired, revoked or reused token.
   */
  async rotate(token: string): Promise<Rotated> {
    const parsed = parseRefreshToken(token);
    if (!parsed) throw AppError.unauthenticated(REFRESH_FAILED);
    // The transaction must commit a theft revocation before the error is thrown (a throw inside
    // would roll it back), hence an outcome value rather than throwing from inside.
    const outcome = await this.db.run(parsed.agencyId, async (tx): Promise<RotateOutcome> => {
      const row = await tx.repo(RefreshToken).findOneBy({ id: parsed.id });
      if (!row || !constantTimeEqual(row.tokenHash, sha256(parsed.secret))) return { ok: false };
      if (row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { ok: false };

      // Race-safe single use: of two concurrent requests, the second waits on the row lock and then
      // matches no row, exactly as if it came later; both cases are treated as reuse.
      const affected = await tx.execute(
        `UPDATE refresh_tokens SET used_at = now()
          WHERE agency_id = $1 AND id = $2 AND used_at IS NULL AND revoked_at IS NULL`,
        [parsed.agencyId, parsed.id],
      );
      if (affected !== 1) {
        await this.revokeFamilyIn(tx.manager, parsed.agencyId, row.familyId);
        return { ok: false };
      }

      // Access that was taken away since the family began ends the family too.
      const member = await tx.repo(Membership).exists({ userId: row.userId });
      const user = await tx.manager.findOneBy(User, { id: row.userId });
      if (!member || !user || user.passwordChangedAt.getTime() > row.createdAt.getTime()) {
        await this.revokeFamilyIn(tx.manager, parsed.agencyId, row.familyId);
        return { ok: false };
      }
      const pair = await this.issue(parsed.agencyId, row.userId, row.mfa, row.familyId);
      return { ok: true, pair: { ...pair, agencyId: parsed.agencyId, userId: row.userId } };
    });
    if (!outcome.ok) throw AppError.unauthenticated(REFRESH_FAILED);
    return outcome.pair;
  }

  /**
   * Revokes the family of `token` if it is the caller's own (same agency, same user, right secret).
   * Returns false when nothing matched, so a typo does not look like a successful logout.
   */
  async revokeFamilyOf(agencyId: string, userId: string, token: string): Promise<boolean> {
    const parsed = parseRefreshToken(token);
    if (!parsed || parsed.agencyId !== agencyId) return false;
    return this.db.run(agencyId, async (tx) => {
      const row = await tx.repo(RefreshToken).findOneBy({ id: parsed.id, userId });
      if (!row || !constantTimeEqual(row.tokenHash, sha256(parsed.secret))) return false;
      await this.revokeFamilyIn(tx.manager, agencyId, row.familyId);
      return true;
    });
  }

  /** Every session of the user in this agency (logout everywhere). */
  async revokeAllOfUser(agencyId: string, userId: string): Promise<number> {
    return this.db.run(agencyId, async (tx) => {
      const affected = await tx.execute(
        `UPDATE refresh_tokens SET revoked_at = now() WHERE agency_id = $1 AND user_id = $2 AND revoked_at IS NULL`,
        [agencyId, userId],
      );
      return affected;
    });
  }

  private async revokeFamilyIn(
    manager: { query: (sql: string, params: unknown[]) => Promise<unknown> },
    agencyId: string,
    familyId: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE agency_id = $1 AND family_id = $2 AND revoked_at IS NULL`,
      [agencyId, familyId],
    );
  }
}
