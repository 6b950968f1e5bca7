import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import {
  APP_CONFIG,
  AppConfig,
  AppError,
  isUniqueViolation,
  MailService,
  RequestContext,
  Role,
  roleAtLeast,
  TenantDb,
  TenantTx,
} from '@caredesk/core';
import { normalizeEmail } from '../auth/auth.service';
import { Agency } from '../entities/agency.entity';
import { assertCanGrant, Grant, normalizeBrandIds } from '../members/grant-rules';
import { InvitationDto } from './dto/invitation.dto';
import { InviteMemberInput } from './dto/invite-member.input';
import { invitationMail } from './invitation-mail';
import { newInvitationToken } from './invitation-token';
import { Invitation } from './invitation.entity';

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Creates, lists, resends and revokes invitations (accepting one is InvitationAcceptService: it runs
 * without a token). Invitations a caller may not manage behave as if they did not exist.
 */
@Injectable()
export class InvitationService {
  constructor(
    private readonly db: TenantDb,
    private readonly brandAccess: BrandAccessService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async inviteMember(ctx: RequestContext, input: InviteMemberInput): Promise<InvitationDto> {
    ctx.requireRole(Role.ADMIN);
    return this.create(ctx, input.email, { role: input.role, brandIds: normalizeBrandIds(input.brandIds) });
  }

  /** A CLIENT_VIEWER for exactly one brand; managers may invite stakeholders of the brands they run. */
  async inviteStakeholder(ctx: RequestContext, brandId: string, email: string): Promise<InvitationDto> {
    ctx.requireRole(Role.MANAGER);
    return this.create(ctx, email, { role: Role.CLIENT_VIEWER, brandIds: [brandId] });
  }

  /** Pending invitations (not accepted, not revoked; expired ones included so they can be resent). */
  async list(ctx: RequestContext): Promise<InvitationDto[]> {
    ctx.requireRole(Role.MANAGER);
    const rows = await this.db.run(ctx, (tx) =>
      tx.repo(Invitation).find({
        where: { acceptedAt: IsNull(), revokedAt: IsNull() },
        order: { createdAt: 'ASC', id: 'ASC' },
      }),
    );
    return rows.filter((i) => canManage(ctx, i)).map((i) => InvitationDto.from(i));
  }

  /** Mails a fresh link (a new secret: the old one stops working) and restarts the 7 days. */
  async resend(ctx: RequestContext, id: string): Promise<InvitationDto> {
    ctx.requireRole(Role.MANAGER);
    return this.db.run(ctx, async (tx) => {
      const invitation = await this.findManageable(ctx, tx, id);
      const { token, tokenHash } = newInvitationToken(ctx.agencyId);
      invitation.tokenHash = tokenHash;
      invitation.expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
      await tx.repo(Invitation).update({ id }, { tokenHash, expiresAt: invitation.expiresAt });
      await this.audit.record(ctx, {
        action: 'invitation.resend',
        entityType: 'invitation',
        entityId: id,
        brandId: invitation.brandIds.length === 1 ? invitation.brandIds[0] : null,
        changes: { email: invitation.email },
      });
      await this.mailAfterCommit(tx, invitation, token);
      return InvitationDto.from(invitation);
    });
  }

  async revoke(ctx: RequestContext, id: string): Promise<boolean> {
    ctx.requireRole(Role.MANAGER);
    return this.db.run(ctx, async (tx) => {
      const invitation = await this.findManageable(ctx, tx, id);
      await tx.repo(Invitation).update({ id }, { revokedAt: new Date() });
      await this.audit.record(ctx, {
        action: 'invitation.revoke',
        entityType: 'invitation',
        entityId: id,
        brandId: invitation.brandIds.length === 1 ? invitation.brandIds[0] : null,
        changes: { email: invitation.email, role: invitation.role },
      });
      return true;
    });
  }

  private async create(ctx: RequestContext, rawEmail: string, grant: Grant): Promise<InvitationDto> {
    assertCanGrant(ctx, grant);
    const email = normalizeEmail(rawEmail);
    return this.db.run(ctx, async (tx) => {
      // Joins this transaction: the brand check and the insert see the same snapshot.
      const brands = grant.brandIds ? await this.brandAccess.requireVisible(ctx, grant.brandIds) : [];
      const member = await tx.query(
        `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.agency_id = $1 AND u.email = $2`,
        [ctx.agencyId, email],
      );
      if (member.length > 0) throw AppError.conflict('This person is already a member of the agency');

      const pending = await tx
        .repo(Invitation)
        .findOneBy({ email, acceptedAt: IsNull(), revokedAt: IsNull() });
      if (pending && pending.expiresAt > new Date()) {
        throw AppError.conflict('This email already has a pending invitation; resend or revoke it');
      }
      // An expired invitation no longer counts; retiring it lets the one-pending-per-email index admit the new one.
      if (pending) await tx.repo(Invitation).update({ id: pending.id }, { revokedAt: new Date() });

      const { token, tokenHash } = newInvitationToken(ctx.agencyId);
      const invitation = Object.assign(new Invitation(), {
        agencyId: ctx.agencyId,
        id: randomUUID(),
        email,
        role: grant.role,
        brandIds: grant.brandIds ?? [],
        tokenHash,
        invitedByUserId: ctx.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        acceptedAt: null,
        revokedAt: null,
        createdAt: new Date(),
      });
      try {
        await tx.repo(Invitation).insert(invitation);
      } catch (e) {
        if (isUniqueViolation(e)) throw AppError.conflict('This email already has a pending invitation');
        throw e;
      }
      await this.audit.record(ctx, {
        action: 'invitation.create',
        entityType: 'invitation',
        entityId: invitation.id,
        brandId: brands.length === 1 ? brands[0].id : null,
        changes: { email, role: grant.role, brandIds: grant.brandIds },
      });
      await this.mailAfterCommit(
        tx,
        invitation,
        token,
        grant.role === Role.CLIENT_VIEWER ? brands[0]?.name : undefined,
      );
      return InvitationDto.from(invitation);
    });
  }

  private async findManageable(ctx: RequestContext, tx: TenantTx, id: string): Promise<Invitation> {
    const invitation = await tx.repo(Invitation).findOneBy({ id, acceptedAt: IsNull(), revokedAt: IsNull() });
    if (!invitation || !canManage(ctx, invitation)) throw AppError.notFound('Invitation');
    return invitation;
  }

  /** The mail is rendered now (with the agency's and brand's names) and enqueued only once the invitation is committed. */
  private async mailAfterCommit(
    tx: TenantTx,
    invitation: Invitation,
    token: string,
    brandName?: string,
  ): Promise<void> {
    if (invitation.role === Role.CLIENT_VIEWER && !brandName) {
      const rows = await tx.query<{ name: string }>(
        'SELECT name FROM brands WHERE agency_id = $1 AND id = $2',
        [tx.agencyId, invitation.brandIds[0]],
      );
      brandName = rows[0]?.name;
    }
    const agency = await tx.manager.findOneByOrFail(Agency, { id: tx.agencyId });
    const message = invitationMail({
      to: invitation.email,
      agencyName: agency.name,
      role: invitation.role,
      brandName,
      url: `${this.config.appUrl}/accept-invitation?token=${encodeURIComponent(token)}`,
      expiresAt: invitation.expiresAt,
    });
    tx.afterCommit(() => this.mail.enqueue(message));
  }
}

/**
 * ADMIN+ manage invitations up to their own role; a MANAGER manages stakeholder (CLIENT_VIEWER)
 * invitations. Either way every brand of the invitation must be in the caller's scope, and an
 * all-brands invitation needs an all-brands caller.
 */
export function canManage(ctx: RequestContext, invitation: Pick<Invitation, 'role' | 'brandIds'>): boolean {
  const inScope =
    invitation.brandIds.length === 0
      ? ctx.brandIds === null
      : invitation.brandIds.every((b) => ctx.canSeeBrand(b));
  if (!inScope) return false;
  if (ctx.hasRole(Role.ADMIN)) return roleAtLeast(ctx.role, invitation.role);
  return ctx.hasRole(Role.MANAGER) && invitation.role === Role.CLIENT_VIEWER;
}
