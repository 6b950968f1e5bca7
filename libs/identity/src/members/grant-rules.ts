import { AppError, Role, roleAtLeast } from '@caredesk/core';

/** What a membership (or an invitation to one) grants: a role and a brand scope (`null` = every brand). */
export interface Grant {
  role: Role;
  brandIds: string[] | null;
}

export interface Granter {
  role: Role;
  brandIds: readonly string[] | null;
}

/** Absent or empty brand ids mean "every brand"; duplicates are dropped. */
export function normalizeBrandIds(brandIds: readonly string[] | null | undefined): string[] | null {
  return brandIds && brandIds.length > 0 ? [...new Set(brandIds)] : null;
}

/**
 * Nobody hands out more than they hold: not a higher role (so only an OWNER makes an OWNER), and not
 * "every brand" from a brand-limited membership. Brands outside the granter's scope are refused
 * separately by BrandAccessService, as NOT_FOUND.
 */
export function assertCanGrant(granter: Granter, grant: Grant): void {
  if (!roleAtLeast(granter.role, grant.role)) {
    throw AppError.forbidden('You cannot grant a role above your own');
  }
  if (grant.role === Role.CLIENT_VIEWER && grant.brandIds?.length !== 1) {
    throw AppError.badInput('A CLIENT_VIEWER sees exactly one brand: give one brand id', 'brandIds');
  }
  if (grant.role === Role.OWNER && grant.brandIds !== null) {
    throw AppError.badInput('An OWNER always sees every brand: give no brand ids', 'brandIds');
  }
  if (granter.brandIds !== null && grant.brandIds === null) {
    throw AppError.forbidden('You can only grant the brands you can see');
  }
}

/** A member may only act on memberships that do not outrank them (an ADMIN cannot demote an OWNER). */
export function assertCanManage(granter: Granter, targetRole: Role): void {
  if (!roleAtLeast(granter.role, targetRole)) {
    throw AppError.forbidden('You cannot change a member whose role is above your own');
  }
}
