import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import { AppError, ErrorCode, isUniqueViolation, RequestContext, TenantDb } from '@caredesk/core';
import { SessionService } from '../auth/session.service';
import { AgencyDto } from '../dto/agency.dto';
import { AuthPayloadDto } from '../dto/auth-payload.dto';
import { UserDto } from '../dto/user.dto';
import { Agency } from '../entities/agency.entity';
import { Membership, MembershipBrand } from '../entities/membership.entity';
import { User } from '../entities/user.entity';
import { PasswordService } from '../passwords/password.service';
import { AcceptInvitationArgs } from './dto/invitation.args';
import { parseInvitationToken } from './invitation-token';
import { Invitation } from './invitation.entity';

/**
 * Turns an invitation into a membership, in one transaction: the user (new, or existing and proven
 * by their password), the membership and its brand scope, the invitation marked accepted, the audit
 * row and the first session. Outcomes:
 * - unknown, malformed, accepted (single use), revoked or expired token → NOT_FOUND
 * - the email has an account and the password is not its password → UNAUTHENTICATED
 * - already a member of that agency → CONFLICT
 * - a new account with an unacceptable password or a blank name → BAD_USER_INPUT
 */
@Injectable()
export class InvitationAcceptService {
  constructor(
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async accept(args: AcceptInvitationArgs): Promise<AuthPayloadDto> {
    const parsed = parseInvitationToken(args.token);
    if (!parsed) throw notFound();
    const { agencyId, tokenHash } = parsed;

    return this.db.run(agencyId, async (tx) => {
      // Locked, so two accepts of one token cannot both pass the "not yet accepted" check.
      const invitation = await tx
        .repo(Invitation)
        .createQueryBuilder('i')
        .andWhere('i.tokenHash = :tokenHash', { tokenHash })
        .setLock('pessimistic_write')
        .getOne();
      if (
        !invitation ||
        invitation.acceptedAt ||
        invitation.revokedAt ||
        invitation.expiresAt <= new Date()
      ) {
        throw notFound();
      }
      const email = invitation.email;

      const existing = await tx.manager
        .createQueryBuilder(User, 'u')
        .addSelect('u.passwordHash')
        .where('u.email = :email', { email })
        .getOne();
      let userId: string;
      if (existing) {
        if (!(await this.passwords.verify(existing.passwordHash, args.password))) {
          throw AppError.unauthenticated('This email already has an account: give that account’s password');
        }
        if (await tx.repo(Membership).exists({ userId: existing.id })) {
          throw AppError.conflict('You are already a member of this agency');
        }
        userId = existing.id;
      } else {
        const name = args.name.trim();
        if (!name) throw AppError.badInput('Name must not be blank', 'name');
        this.passwords.assertAcceptable(args.password, 'password', [email, email.split('@')[0], name]);
        userId = randomUUID();
        const passwordHash = await this.passwords.hash(args.password);
        try {
          // password_changed_at takes the database clock (its default), the clock the session checks compare with.
          await tx.manager.insert(User, { id: userId, email, name, passwordHash });
        } catch (e) {
          // Someone signed up with this email between our read and our insert.
          if (isUniqueViolation(e))
            throw AppError.conflict('An account with this email was just created; try again');
          throw e;
        }
      }

      const membershipId = randomUUID();
      await tx.repo(Membership).insert({
        id: membershipId,
        userId,
        role: invitation.role,
        allBrands: invitation.brandIds.length === 0,
      });
      await tx
        .repo(MembershipBrand)
        .insert(invitation.brandIds.map((brandId) => ({ membershipId, brandId })));
      await tx.repo(Invitation).update({ id: invitation.id }, { acceptedAt: new Date() });
      await this.audit.record(RequestContext.system(agencyId, 'invitation accepted'), {
        action: 'invitation.accept',
        entityType: 'membership',
        entityId: membershipId,
        brandId: invitation.brandIds.length === 1 ? invitation.brandIds[0] : null,
        changes: {
          invitationId: invitation.id,
          userId,
          role: invitation.role,
          brandIds: invitation.brandIds,
        },
        actorLabel: email,
      });

      const user = await tx.manager.findOneByOrFail(User, { id: userId });
      const agency = await tx.manager.findOneByOrFail(Agency, { id: agencyId });
      // Joins this transaction: no session exists unless the membership does.
      const pair = await this.sessions.issue(agencyId, userId, false);
      return { ...pair, user: UserDto.from(user), agency: AgencyDto.from(agency) };
    });
  }
}

function notFound(): AppError {
  return new AppError(
    ErrorCode.NOT_FOUND,
    'Invitation not found: it may have expired, been revoked or been used',
  );
}
