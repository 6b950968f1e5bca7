import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, RequestContext, Role, SystemDb, TenantDb } from '@caredesk/core';
import { ApiKeyService, isApiKeyFormat } from '../api-keys/api-key.service';
import { AgencyDto } from '../dto/agency.dto';
import { AuthPayloadDto } from '../dto/auth-payload.dto';
import { LoginInput } from '../dto/login.input';
import { SignUpInput } from '../dto/sign-up.input';
import { UserDto } from '../dto/user.dto';
import { Agency } from '../entities/agency.entity';
import { Membership } from '../entities/membership.entity';
import { User } from '../entities/user.entity';
import { PasswordService } from '../passwords/password.service';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { parseRefreshToken, SessionService } from './session.service';
import { TokenService } from './token.service';

export const INVALID_CREDENTIALS = 'Invalid email or password';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** What a bearer token grants, as the auth guard needs it. */
export interface Authenticated {
  ctx: RequestContext;
  /**
   * The agency requires two-factor sign-in and this token did not pass it: only the operations that
   * let the member set it up are allowed (see AllowWithoutTwoFactor).
   */
  twoFactorSetupRequired: boolean;
}

interface MemberRow {
  membershipId: string;
  role: Role;
  allBrands: boolean;
  requireTwoFactor: boolean;
  passwordChangedAt: Date;
  /** The membership's brands; null when it covers all brands. */
  brandIds: string[] | null;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: TenantDb,
    private readonly systemDb: SystemDb,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    private readonly twoFactor: TwoFactorService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  /** Creates an agency, its owner and a first session, all in one transaction. */
  async signUp(input: SignUpInput): Promise<AuthPayloadDto> {
    const email = normalizeEmail(input.email);
    const agencyName = input.agencyName.trim();
    const name = input.name.trim();
    if (!agencyName) throw AppError.badInput('Agency name must not be blank', 'agencyName');
    if (!name) throw AppError.badInput('Name must not be blank', 'name');
    this.passwords.assertAcceptable(input.password, 'password', [email, email.split('@')[0], name]);
    const passwordHash = await this.passwords.hash(input.password);

    const agencyId = randomUUID();
    const userId = randomUUID();
    const { user, agency } = await this.db.run(agencyId, async (tx) => {
      // users is global (no RLS); the insert joins this transaction so nothing is half-written.
      const taken = await tx.manager.existsBy(User, { email });
      if (taken) throw AppError.conflict('An account with this email already exists; log in instead');
      // password_changed_at comes from the database clock (its default), like refresh_tokens.created_at,
      // so the "issued before the password changed" checks never compare two different clocks.
      await tx.manager.insert(User, { id: userId, email, name, passwordHash });
      await tx.manager.insert(Agency, { id: agencyId, name: agencyName });
      await tx.repo(Membership).insert({ id: randomUUID(), userId, role: Role.OWNER, allBrands: true });
      return {
        user: await tx.manager.findOneByOrFail(User, { id: userId }),
        agency: await tx.manager.findOneByOrFail(Agency, { id: agencyId }),
      };
    });
    const pair = await this.sessions.issue(agencyId, userId, false);
    return { ...pair, user: UserDto.from(user), agency: AgencyDto.from(agency) };
  }

  /**
   * The same error, after the same amount of work, for an unknown email and a wrong password, so the
   * answer does not tell whether an account exists. Only after the password is right does the answer
   * say that a second factor is needed (extensions.reason TWO_FACTOR_REQUIRED).
   */
  async login(input: LoginInput): Promise<AuthPayloadDto> {
    const email = normalizeEmail(input.email);
    const found = await this.systemDb.run('login: find user by email', (m) =>
      m
        .createQueryBuilder(User, 'u')
        .addSelect('u.passwordHash')
        .where('u.email = :email', { email })
        .getOne(),
    );
    const ok = await this.passwords.verify(found?.passwordHash, input.password);
    if (!found || !ok) throw new AppError(ErrorCode.UNAUTHENTICATED, INVALID_CREDENTIALS);

    const mfa = !!found.totpEnabledAt;
    if (mfa) {
      if (!input.totpCode) {
        throw new AppError(ErrorCode.UNAUTHENTICATED, 'Enter the code from your authenticator app', {
          reason: 'TWO_FACTOR_REQUIRED',
        });
      }
      if (!(await this.twoFactor.verifyForLogin(found.id, input.totpCode))) {
        throw new AppError(ErrorCode.UNAUTHENTICATED, 'Invalid two-factor code', {
          reason: 'TWO_FACTOR_INVALID',
        });
      }
    }

    const agencyId = await this.chooseAgency(found.id, input.agencyId);
    const agency = await this.db.run(agencyId, (tx) => tx.manager.findOneByOrFail(Agency, { id: agencyId }));
    const pair = await this.sessions.issue(agencyId, found.id, mfa);
    return { ...pair, user: UserDto.from(found), agency: AgencyDto.from(agency) };
  }

  /** Rotates a refresh token (see SessionService.rotate) and answers like login. */
  async refresh(token: string): Promise<AuthPayloadDto> {
    const pair = await this.sessions.rotate(token);
    const { user, agency } = await this.db.run(pair.agencyId, async (tx) => ({
      user: await tx.manager.findOneByOrFail(User, { id: pair.userId }),
      agency: await tx.manager.findOneByOrFail(Agency, { id: pair.agencyId }),
    }));
    return {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      user: UserDto.from(user),
      agency: AgencyDto.from(agency),
    };
  }

  /**
   * Ends the session family of `refreshToken`, or every session of the user in this agency. The
   * access token itself stays valid until it expires (ACCESS_TOKEN_TTL_SECONDS): it is stateless.
   */
  async logout(ctx: RequestContext, refreshToken?: string | null): Promise<boolean> {
    const userId = ctx.userId;
    if (!userId) throw AppError.forbidden('API keys have no session to log out of; revoke the key instead');
    if (refreshToken !== undefined && refreshToken !== null) {
      if (!parseRefreshToken(refreshToken)) throw AppError.badInput('Not a refresh token', 'refreshToken');
      return this.sessions.revokeFamilyOf(ctx.agencyId, userId, refreshToken);
    }
    await this.sessions.revokeAllOfUser(ctx.agencyId, userId);
    return true;
  }

  /** The agencies a user belongs to, oldest membership first (read through the self-read policy). */
  async agenciesOf(userId: string): Promise<AgencyDto[]> {
    const rows = await this.systemDb.run(
      'list the agencies of an authenticated user',
      (m) =>
        m.query(
          `SELECT a.id, a.name, a.require_two_factor AS "requireTwoFactor"
             FROM memberships ms JOIN agencies a ON a.id = ms.agency_id
            WHERE ms.user_id = $1 ORDER BY ms.created_at, a.id`,
          [userId],
        ),
      { userId },
    );
    return rows.map((r: Agency) => AgencyDto.from(r));
  }

  private async chooseAgency(userId: string, wanted?: string): Promise<string> {
    const agencies = await this.agenciesOf(userId);
    if (wanted) {
      if (!agencies.some((a) => a.id === wanted))
        throw new AppError(ErrorCode.UNAUTHENTICATED, INVALID_CREDENTIALS);
      return wanted;
    }
    if (agencies.length === 0) throw new AppError(ErrorCode.UNAUTHENTICATED, INVALID_CREDENTIALS);
    return agencies[0].id;
  }

  /** A user's access token (JWT) or an API key (`cdk_…`); null for anything that grants nothing. */
  async authenticate(token: string, ip?: string): Promise<Authenticated | null> {
    if (isApiKeyFormat(token)) {
      const ctx = await this.apiKeys.contextFromKey(token, ip);
      return ctx && { ctx, twoFactorSetupRequired: false };
    }
    return this.fromAccessToken(token, ip);
  }

  /**
   * Turns a bearer token into a RequestContext, reading the membership fresh on every request so a
   * changed role or a removed member takes effect at once. Returns null for any token that does not
   * grant access.
   */
  async contextFromAccessToken(token: string, ip?: string): Promise<RequestContext | null> {
    return (await this.fromAccessToken(token, ip))?.ctx ?? null;
  }

  private async fromAccessToken(token: string, ip?: string): Promise<Authenticated | null> {
    const claims = this.tokens.verifyAccess(token);
    if (!claims) return null;
    // One statement, not a tenant transaction: this runs on every authenticated request.
    const [row] = await this.systemDb.statement<MemberRow>(
      'authenticate: the membership behind an access token',
      `SELECT membership_id AS "membershipId", role, all_brands AS "allBrands",
              require_two_factor AS "requireTwoFactor", password_changed_at AS "passwordChangedAt",
              brand_ids AS "brandIds"
         FROM auth_membership($1, $2)`,
      [claims.aid, claims.sub],
    );
    if (!row) return null;
    // A password change (reset, or a suspected compromise) ends every token issued before it. `iat`
    // has whole seconds, so compare in seconds.
    if (typeof claims.iat !== 'number' || claims.iat < Math.floor(row.passwordChangedAt.getTime() / 1000)) {
      return null;
    }
    const ctx = new RequestContext({
      agencyId: claims.aid,
      actor: { kind: 'user', userId: claims.sub, membershipId: row.membershipId },
      role: row.role,
      brandIds: row.allBrands ? null : (row.brandIds ?? []),
      ip,
      mfa: claims.mfa,
    });
    return { ctx, twoFactorSetupRequired: row.requireTwoFactor && !claims.mfa };
  }
}
