import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import { AppError, RequestContext, Role, TenantDb, TenantTx } from '@caredesk/core';
import { UserDto } from '../dto/user.dto';
import { Membership, MembershipBrand } from '../entities/membership.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import { ChangeMemberRoleInput } from './dto/change-member-role.input';
import { MemberDto } from './dto/member.dto';
import { assertCanGrant, assertCanManage, normalizeBrandIds } from './grant-rules';

interface MemberRow {
  id: string;
  role: Role;
  allBrands: boolean;
  brandIds: string[];
  createdAt: Date;
  userId: string;
  email: string;
  name: string;
  totpEnabledAt: Date | null;
}

/**
 * Who sees whom:
 * - CLIENT_VIEWER: nobody (FORBIDDEN) — stakeholders only see their brand's reports.
 * - AGENT: colleagues to hand conversations to — every member except CLIENT_VIEWERs (but themselves).
 * - MANAGER+: every member.
 * A brand-limited viewer further sees only members who share a brand with them (or see every brand),
 * and only the brand ids within their own scope.
 */
@Injectable()
export class MemberService {
  constructor(
    private readonly db: TenantDb,
    private readonly brandAccess: BrandAccessService,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext): Promise<MemberDto[]> {
    ctx.requireRole(Role.AGENT);
    const rows = await this.db.run(ctx, (tx) => loadMembers(tx));
    return rows.filter((m) => isVisible(ctx, m)).map((m) => toDto(ctx, m));
  }

  /** ADMIN+. Cannot raise anyone above the caller's role, nor touch a member who outranks the caller. */
  async changeRole(ctx: RequestContext, input: ChangeMemberRoleInput): Promise<MemberDto> {
    ctx.requireRole(Role.ADMIN);
    return this.db.run(ctx, async (tx) => {
      const target = await this.findManageable(ctx, tx, input.membershipId);
      const brandsGiven = input.brandIds !== undefined;
      const brandIds = brandsGiven
        ? normalizeBrandIds(input.brandIds)
        : target.allBrands
          ? null
          : target.brandIds;
      assertCanGrant(ctx, { role: input.role, brandIds });
      if (brandsGiven && brandIds) await this.brandAccess.requireVisible(ctx, brandIds);
      if (target.role === Role.OWNER && input.role !== Role.OWNER) await assertAnotherOwner(tx, target.id);

      await tx.repo(Membership).update({ id: target.id }, { role: input.role, allBrands: brandIds === null });
      if (brandsGiven) {
        await tx.repo(MembershipBrand).delete({ membershipId: target.id });
        await tx
          .repo(MembershipBrand)
          .insert((brandIds ?? []).map((brandId) => ({ membershipId: target.id, brandId })));
      }
      await this.audit.record(ctx, {
        action: 'member.role_change',
        entityType: 'membership',
        entityId: target.id,
        changes: {
          role: { from: target.role, to: input.role },
          brandIds: { from: target.allBrands ? null : target.brandIds, to: brandIds },
        },
      });
      const [updated] = await loadMembers(tx, target.id);
      return toDto(ctx, updated);
    });
  }

  /** ADMIN+. Also revokes the member's refresh tokens in this agency; their access tokens stop working at once. */
  async remove(ctx: RequestContext, membershipId: string): Promise<boolean> {
    ctx.requireRole(Role.ADMIN);
    return this.db.run(ctx, async (tx) => {
      const target = await this.findManageable(ctx, tx, membershipId);
      if (target.role === Role.OWNER) await assertAnotherOwner(tx, target.id);
      await tx.repo(Membership).delete({ id: target.id });
      await tx
        .repo(RefreshToken)
        .update({ userId: target.userId, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.record(ctx, {
        action: 'member.remove',
        entityType: 'membership',
        entityId: target.id,
        changes: { userId: target.userId, email: target.email, role: target.role },
      });
      return true;
    });
  }

  /**
   * A membership the caller cannot see is NOT_FOUND; one they can see but not wholly manage (it
   * outranks them, or reaches brands beyond their scope) is FORBIDDEN.
   */
  private async findManageable(ctx: RequestContext, tx: TenantTx, membershipId: string): Promise<MemberRow> {
    const [target] = await loadMembers(tx, membershipId);
    if (!target || !isVisible(ctx, target)) throw AppError.notFound('Member');
    assertCanManage(ctx, target.role);
    if (ctx.brandIds !== null && (target.allBrands || !target.brandIds.every((b) => ctx.canSeeBrand(b)))) {
      throw AppError.forbidden('This member can see brands outside your scope');
    }
    return target;
  }
}

/** Memberships with their users and brand scope, in one query (RLS and the agency filter keep it to this tenant). */
async function loadMembers(tx: TenantTx, membershipId?: string): Promise<MemberRow[]> {
  return tx.query<MemberRow>(
    `SELECT m.id, m.role, m.all_brands AS "allBrands", m.created_at AS "createdAt",
            u.id AS "userId", u.email, u.name, u.totp_enabled_at AS "totpEnabledAt",
            coalesce(array_agg(mb.brand_id ORDER BY mb.brand_id) FILTER (WHERE mb.brand_id IS NOT NULL), '{}') AS "brandIds"
       FROM memberships m
       JOIN users u ON u.id = m.user_id
       LEFT JOIN membership_brands mb ON mb.agency_id = m.agency_id AND mb.membership_id = m.id
      WHERE m.agency_id = $1 AND ($2::uuid IS NULL OR m.id = $2::uuid)
      GROUP BY m.agency_id, m.id, u.id
      ORDER BY m.created_at, m.id`,
    [tx.agencyId, membershipId ?? null],
  );
}

/**
 * Locks every OWNER row, so two owners demoting each other at once are serialised and the second
 * sees the first's change: an agency never loses its last OWNER.
 */
async function assertAnotherOwner(tx: TenantTx, exceptMembershipId: string): Promise<void> {
  const owners = await tx.query<{ id: string }>(
    `SELECT id FROM memberships WHERE agency_id = $1 AND role = 'OWNER' FOR UPDATE`,
    [tx.agencyId],
  );
  if (!owners.some((o) => o.id !== exceptMembershipId)) {
    throw AppError.conflict('An agency needs at least one OWNER: make someone else OWNER first');
  }
}

function isVisible(ctx: RequestContext, m: MemberRow): boolean {
  if (m.userId === ctx.userId) return true;
  if (!ctx.hasRole(Role.MANAGER) && m.role === Role.CLIENT_VIEWER) return false;
  if (ctx.brandIds === null) return true;
  return m.allBrands || m.brandIds.some((b) => ctx.canSeeBrand(b));
}

function toDto(ctx: RequestContext, m: MemberRow): MemberDto {
  return Object.assign(new MemberDto(), {
    id: m.id,
    user: Object.assign(new UserDto(), {
      id: m.userId,
      email: m.email,
      name: m.name,
      twoFactorEnabled: !!m.totpEnabledAt,
    }),
    role: m.role,
    brandIds: m.allBrands ? null : m.brandIds.filter((b) => ctx.canSeeBrand(b)),
    createdAt: m.createdAt,
  });
}
