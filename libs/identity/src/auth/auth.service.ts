import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, RequestContext, Role, SystemDb, TenantDb } from '@caredesk/core';
import { AgencyDto } from '../dto/agency.dto';
import { AuthPayloadDto } from '../dto/auth-payload.dto';
import { LoginInput } from '../dto/login.input';
import { SignUpInput } from '../dto/sign-up.input';
import { UserDto } from '../dto/user.dto';
import { Agency } from '../entities/agency.entity';
import { Membership, MembershipBrand } from '../entities/membership.entity';
import { User } from '../entities/user.entity';
import { PasswordService } from '../passwords/password.service';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

export const INVALID_CREDENTIALS = 'Invalid email or password';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: TenantDb,
    private readonly systemDb: SystemDb,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
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
      await tx.manager.insert(User, { id: userId, email, name, passwordHash, passwordChangedAt: new Date() });
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
   * answer does not tell whether an account exists.
   */
  async login(input: LoginInput): Promise<AuthPayloadDto> {
    const email = normalizeEmail(input.email);
    const found = await this.systemDb.run('login: find user by email', (m) =>
      m.createQueryBuilder(User, 'u').addSelect('u.passwordHash').where('u.email = :email', { email }).getOne(),
    );
    const ok = await this.passwords.verify(found?.passwordHash, input.password);
    if (!found || !ok) throw new AppError(ErrorCode.UNAUTHENTICATED, INVALID_CREDENTIALS);

    const agencyId = await this.chooseAgency(found.id, input.agencyId);
    const agency = await this.db.run(agencyId, (tx) => tx.manager.findOneByOrFail(Agency, { id: agencyId }));
    const pair = await this.sessions.issue(agencyId, found.id, false);
    return { ...pair, user: UserDto.from(found), agency: AgencyDto.from(agency) };
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
      if (!agencies.some((a) => a.id === wanted)) throw new AppError(ErrorCode.UNAUTHENTICATED, INVALID_CREDENTIALS);
      return wanted;
    }
    if (agencies.length === 0) throw new AppError(ErrorCode.UNAUTHENTICATED, INVALID_CREDENTIALS);
    return agencies[0].id;
  }

  /**
   * Turns a bearer token into a RequestContext, reading the membership fresh on every request so a
   * changed role or a removed member takes effect at once. Returns null for any token that does not
   * grant access.
   */
  async contextFromAccessToken(token: string, ip?: string): Promise<RequestContext | null> {
    const claims = this.tokens.verifyAccess(token);
    if (!claims) return null;
    return this.db.run(claims.aid, async (tx) => {
      const membership = await tx.repo(Membership).findOneBy({ userId: claims.sub });
      if (!membership) return null;
      const brandIds = membership.allBrands
        ? null
        : (await tx.repo(MembershipBrand).findBy({ membershipId: membership.id })).map((b) => b.brandId);
      return new RequestContext({
        agencyId: claims.aid,
        actor: { kind: 'user', userId: claims.sub, membershipId: membership.id },
        role: membership.role,
        brandIds,
        ip,
        mfa: claims.mfa,
      });
    });
  }
}
