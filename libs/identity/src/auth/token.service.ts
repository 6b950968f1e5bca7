import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@caredesk/core';

export interface AccessClaims {
  /** user id */
  sub: string;
  /** agency id: a token is for one agency; the user picks it at login */
  aid: string;
  /** passed two-factor authentication */
  mfa: boolean;
  iat?: number;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  signAccess(claims: Omit<AccessClaims, 'iat'>): string {
    return this.jwt.sign(claims, {
      secret: this.config.auth.jwtSecret,
      expiresIn: this.config.auth.accessTtlSeconds,
      algorithm: 'HS256',
      audience: 'caredesk',
    });
  }

  /** Returns the claims, or null for a token that is malformed, forged or expired. */
  verifyAccess(token: string): AccessClaims | null {
    try {
      const c = this.jwt.verify<AccessClaims>(token, {
        secret: this.config.auth.jwtSecret,
        algorithms: ['HS256'],
        audience: 'caredesk',
      });
      return typeof c.sub === 'string' && typeof c.aid === 'string' ? c : null;
    } catch {
      return null;
    }
  }
}
