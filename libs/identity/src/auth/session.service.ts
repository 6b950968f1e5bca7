import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, randomToken, sha256, TenantDb } from '@caredesk/core';
import { RefreshToken } from '../entities/refresh-token.entity';
import { TokenService } from './token.service';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * Issues access + refresh token pairs. A refresh token reads `<agencyId>.<id>.<secret>`: the agency
 * id lets it be looked up inside that tenant's RLS scope before anyone is authenticated.
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
}
