import { AppError, ErrorCode, Role } from '@caredesk/core';
import { assertCanGrant, assertCanManage, normalizeBrandIds } from './grant-rules';

const B1 = '00000000-0000-4000-8000-000000000001';
const B2 = '00000000-0000-4000-8000-000000000002';

function codeOf(fn: () => void): ErrorCode | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : (ErrorCode.INTERNAL_SERVER_ERROR as ErrorCode);
  }
}

describe('grant rules', () => {
  const owner = { role: Role.OWNER, brandIds: null };
  const admin = { role: Role.ADMIN, brandIds: null };
  const scopedAdmin = { role: Role.ADMIN, brandIds: [B1] };

  it('treats absent or empty brand ids as every brand and drops duplicates', () => {
    expect(normalizeBrandIds(undefined)).toBeNull();
    expect(normalizeBrandIds([])).toBeNull();
    expect(normalizeBrandIds([B1, B1, B2])).toEqual([B1, B2]);
  });

  it('lets only an OWNER grant OWNER, and nobody a role above their own', () => {
    expect(codeOf(() => assertCanGrant(owner, { role: Role.OWNER, brandIds: null }))).toBeNull();
    expect(codeOf(() => assertCanGrant(admin, { role: Role.OWNER, brandIds: null }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(codeOf(() => assertCanGrant(admin, { role: Role.ADMIN, brandIds: null }))).toBeNull();
    expect(
      codeOf(() =>
        assertCanGrant({ role: Role.MANAGER, brandIds: null }, { role: Role.ADMIN, brandIds: null }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
  });

  it('requires exactly one brand for a CLIENT_VIEWER and none for an OWNER', () => {
    expect(codeOf(() => assertCanGrant(admin, { role: Role.CLIENT_VIEWER, brandIds: null }))).toBe(
      ErrorCode.BAD_USER_INPUT,
    );
    expect(codeOf(() => assertCanGrant(admin, { role: Role.CLIENT_VIEWER, brandIds: [B1, B2] }))).toBe(
      ErrorCode.BAD_USER_INPUT,
    );
    expect(codeOf(() => assertCanGrant(admin, { role: Role.CLIENT_VIEWER, brandIds: [B1] }))).toBeNull();
    expect(codeOf(() => assertCanGrant(owner, { role: Role.OWNER, brandIds: [B1] }))).toBe(
      ErrorCode.BAD_USER_INPUT,
    );
  });

  it('keeps a brand-limited granter from granting every brand', () => {
    expect(codeOf(() => assertCanGrant(scopedAdmin, { role: Role.AGENT, brandIds: null }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(codeOf(() => assertCanGrant(scopedAdmin, { role: Role.AGENT, brandIds: [B1] }))).toBeNull();
  });

  it('lets nobody manage a member who outranks them', () => {
    expect(codeOf(() => assertCanManage(admin, Role.OWNER))).toBe(ErrorCode.FORBIDDEN);
    expect(codeOf(() => assertCanManage(admin, Role.ADMIN))).toBeNull();
  });
});
