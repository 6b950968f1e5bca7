import { crossTenant } from '../support/cross-tenant';
import { signUpAgency } from '../support/fixtures';
import { insertBrand, inviteAndAccept, MailStack, MEMBERS, startMailStack } from './invitations.support';

const CHANGE_ROLE = `mutation($input: ChangeMemberRoleInput!) {
  changeMemberRole(input: $input) { id role brandIds user { id } }
}`;
const REMOVE = `mutation($membershipId: ID!) { removeMember(membershipId: $membershipId) }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken } }`;

describe('members', () => {
  let s: MailStack;
  beforeAll(async () => {
    s = await startMailStack();
  });
  afterAll(() => s.close());

  const count = (from: string, params?: unknown[]) => s.t.count(from, params);
  const ownerMembership = async (agencyId: string) =>
    (
      await s.t.ownerQuery(`SELECT id FROM memberships WHERE agency_id = $1 AND role = 'OWNER'`, [agencyId])
    )[0].id as string;

  it('lists members with their user, role and brand scope; agents see colleagues; viewers see nobody', async () => {
    const owner = await signUpAgency(s.t.gql);
    const b1 = await insertBrand(s.t, owner.agencyId);
    const b2 = await insertBrand(s.t, owner.agencyId);
    const manager = await inviteAndAccept(s, owner.client, { role: 'MANAGER' });
    const agent1 = await inviteAndAccept(s, owner.client, { role: 'AGENT', brandIds: [b1] });
    const agent2 = await inviteAndAccept(s, owner.client, { role: 'AGENT', brandIds: [b2] });
    const viewer = await inviteAndAccept(s, owner.client, { role: 'CLIENT_VIEWER', brandIds: [b1] });

    const { members } = await manager.client.ok(MEMBERS);
    expect(members.map((m: { role: string }) => m.role)).toEqual([
      'OWNER',
      'MANAGER',
      'AGENT',
      'AGENT',
      'CLIENT_VIEWER',
    ]);
    expect(members[0]).toMatchObject({
      brandIds: null,
      user: { id: owner.userId, email: owner.email, name: 'Olivia Owner' },
    });
    expect(members[2]).toMatchObject({
      id: agent1.membershipId,
      brandIds: [b1],
      user: { email: agent1.email },
    });

    // agent1 (brand b1): members who see every brand or share b1, never CLIENT_VIEWERs, and no out-of-scope brand ids.
    const seen = (await agent1.client.ok(MEMBERS)).members;
    const ids = seen.map((m: { id: string }) => m.id);
    expect(ids).toContain(agent1.membershipId);
    expect(ids).toContain(manager.membershipId);
    expect(ids).not.toContain(agent2.membershipId);
    expect(ids).not.toContain(viewer.membershipId);

    expect(await viewer.client.code(MEMBERS)).toBe('FORBIDDEN');
  });

  it('changes a role and brand scope, audited; refuses raising above your own role', async () => {
    const owner = await signUpAgency(s.t.gql);
    const b1 = await insertBrand(s.t, owner.agencyId);
    const admin = await inviteAndAccept(s, owner.client, { role: 'ADMIN' });
    const agent = await inviteAndAccept(s, owner.client, { role: 'AGENT' });

    const { changeMemberRole } = await admin.client.ok(CHANGE_ROLE, {
      input: { membershipId: agent.membershipId, role: 'MANAGER', brandIds: [b1] },
    });
    expect(changeMemberRole).toMatchObject({
      id: agent.membershipId,
      role: 'MANAGER',
      brandIds: [b1],
      user: { id: agent.userId },
    });
    // The change applies to the member's next request, with the same token.
    expect((await agent.client.ok(`{ me { role brandIds } }`)).me).toEqual({
      role: 'MANAGER',
      brandIds: [b1],
    });
    // Absent brandIds keeps the scope; null gives every brand.
    expect(
      (await admin.client.ok(CHANGE_ROLE, { input: { membershipId: agent.membershipId, role: 'AGENT' } }))
        .changeMemberRole,
    ).toMatchObject({ role: 'AGENT', brandIds: [b1] });
    expect(
      (
        await admin.client.ok(CHANGE_ROLE, {
          input: { membershipId: agent.membershipId, role: 'AGENT', brandIds: null },
        })
      ).changeMemberRole,
    ).toMatchObject({ brandIds: null });

    expect(
      await admin.client.code(CHANGE_ROLE, { input: { membershipId: agent.membershipId, role: 'OWNER' } }),
    ).toBe('FORBIDDEN');
    const ownerId = await ownerMembership(owner.agencyId);
    expect(await admin.client.code(CHANGE_ROLE, { input: { membershipId: ownerId, role: 'ADMIN' } })).toBe(
      'FORBIDDEN',
    );
    expect(
      await agent.client.code(CHANGE_ROLE, { input: { membershipId: agent.membershipId, role: 'ADMIN' } }),
    ).toBe('FORBIDDEN');
    expect(
      await admin.client.code(CHANGE_ROLE, {
        input: { membershipId: agent.membershipId, role: 'CLIENT_VIEWER', brandIds: null },
      }),
    ).toBe('BAD_USER_INPUT');

    const audit = await s.t.ownerQuery(
      `SELECT changes FROM audit_events WHERE agency_id = $1 AND action = 'member.role_change' ORDER BY created_at`,
      [owner.agencyId],
    );
    expect(audit).toHaveLength(3);
    expect(audit[0].changes).toEqual({
      role: { from: 'AGENT', to: 'MANAGER' },
      brandIds: { from: null, to: [b1] },
    });
  });

  it('never leaves an agency without an OWNER', async () => {
    const owner = await signUpAgency(s.t.gql);
    const ownerId = await ownerMembership(owner.agencyId);
    expect(await owner.client.code(CHANGE_ROLE, { input: { membershipId: ownerId, role: 'ADMIN' } })).toBe(
      'CONFLICT',
    );
    expect(await owner.client.code(REMOVE, { membershipId: ownerId })).toBe('CONFLICT');

    const second = await inviteAndAccept(s, owner.client, { role: 'OWNER' });
    // Two owners demoting each other at once: exactly one succeeds.
    const results = await Promise.all([
      owner.client.request(CHANGE_ROLE, { input: { membershipId: second.membershipId, role: 'ADMIN' } }),
      second.client.request(CHANGE_ROLE, { input: { membershipId: ownerId, role: 'ADMIN' } }),
    ]);
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(await count(`memberships WHERE agency_id = $1 AND role = 'OWNER'`, [owner.agencyId])).toBe(1);
  });

  it('removes a member: their access token stops working and their refresh tokens are revoked', async () => {
    const owner = await signUpAgency(s.t.gql);
    const admin = await inviteAndAccept(s, owner.client, { role: 'ADMIN' });
    const agent = await inviteAndAccept(s, owner.client, { role: 'AGENT' });

    expect(await admin.client.ok(REMOVE, { membershipId: agent.membershipId })).toEqual({
      removeMember: true,
    });
    expect(await agent.client.code(MEMBERS)).toBe('UNAUTHENTICATED');
    const tokens = await s.t.ownerQuery(
      `SELECT revoked_at FROM refresh_tokens WHERE agency_id = $1 AND user_id = $2`,
      [owner.agencyId, agent.userId],
    );
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((r) => r.revoked_at !== null)).toBe(true);
    expect(await s.t.gql.code(REFRESH, { token: agent.refreshToken })).toBe('UNAUTHENTICATED');
    const audit = await s.t.ownerQuery(
      `SELECT entity_id FROM audit_events WHERE agency_id = $1 AND action = 'member.remove'`,
      [owner.agencyId],
    );
    expect(audit).toEqual([{ entity_id: agent.membershipId }]);

    const ownerId = await ownerMembership(owner.agencyId);
    expect(await admin.client.code(REMOVE, { membershipId: ownerId })).toBe('FORBIDDEN');
    expect(await agent.client.code(REMOVE, { membershipId: admin.membershipId })).toBe('UNAUTHENTICATED');
  });

  it('rejects bad input with BAD_USER_INPUT and changes nothing', async () => {
    const owner = await signUpAgency(s.t.gql);
    const agent = await inviteAndAccept(s, owner.client, { role: 'AGENT' });
    const huge = 'x'.repeat(1_000_000);
    const snapshot = () =>
      s.t.ownerQuery(`SELECT id, role, all_brands FROM memberships WHERE agency_id = $1 ORDER BY id`, [
        owner.agencyId,
      ]);
    const before = await snapshot();
    for (const input of [
      { membershipId: 'not-a-uuid', role: 'ADMIN' },
      { membershipId: '', role: 'ADMIN' },
      { membershipId: huge, role: 'ADMIN' },
      { membershipId: agent.membershipId, role: 'GOD' },
      { membershipId: agent.membershipId, role: 7 },
      { membershipId: agent.membershipId, role: 'ADMIN', brandIds: ['nope'] },
      { membershipId: agent.membershipId, role: 'ADMIN', brandIds: [huge] },
      { membershipId: agent.membershipId },
    ]) {
      expect(await owner.client.code(CHANGE_ROLE, { input })).toBe('BAD_USER_INPUT');
    }
    for (const membershipId of ['', 'not-a-uuid', huge, 12]) {
      expect(await owner.client.code(REMOVE, { membershipId })).toBe('BAD_USER_INPUT');
    }
    expect(await snapshot()).toEqual(before);
  });

  describe(crossTenant('changeMemberRole'), () => {
    it("answers NOT_FOUND for another agency's member, a member outside the caller's brands, and a foreign brand", async () => {
      const a = await signUpAgency(s.t.gql, 'A');
      const b = await signUpAgency(s.t.gql, 'B');
      const a1 = await insertBrand(s.t, a.agencyId);
      const a2 = await insertBrand(s.t, a.agencyId);
      const b1 = await insertBrand(s.t, b.agencyId);
      const foreign = await inviteAndAccept(s, b.client, { role: 'AGENT' });
      const scopedAdmin = await inviteAndAccept(s, a.client, { role: 'ADMIN', brandIds: [a1] });
      const agentA1 = await inviteAndAccept(s, a.client, { role: 'AGENT', brandIds: [a1] });
      const agentA2 = await inviteAndAccept(s, a.client, { role: 'AGENT', brandIds: [a2] });

      const change = (c: typeof a.client, membershipId: string, brandIds?: string[]) =>
        c.code(CHANGE_ROLE, { input: { membershipId, role: 'MANAGER', brandIds } });
      expect(await change(a.client, foreign.membershipId)).toBe('NOT_FOUND');
      expect(await change(scopedAdmin.client, agentA2.membershipId)).toBe('NOT_FOUND');
      expect(await change(a.client, agentA1.membershipId, [b1])).toBe('NOT_FOUND');
      expect(await change(scopedAdmin.client, agentA1.membershipId, [a2])).toBe('NOT_FOUND');
      const roles = await s.t.ownerQuery(`SELECT role FROM memberships WHERE id IN ($1, $2, $3)`, [
        foreign.membershipId,
        agentA1.membershipId,
        agentA2.membershipId,
      ]);
      expect(roles.every((r) => r.role === 'AGENT')).toBe(true);
      // Within scope it works.
      await scopedAdmin.client.ok(CHANGE_ROLE, {
        input: { membershipId: agentA1.membershipId, role: 'MANAGER' },
      });
    });
  });

  describe(crossTenant('removeMember'), () => {
    it("answers NOT_FOUND for another agency's member and a member outside the caller's brands", async () => {
      const a = await signUpAgency(s.t.gql, 'A');
      const b = await signUpAgency(s.t.gql, 'B');
      const a1 = await insertBrand(s.t, a.agencyId);
      const a2 = await insertBrand(s.t, a.agencyId);
      const foreign = await inviteAndAccept(s, b.client, { role: 'AGENT' });
      const scopedAdmin = await inviteAndAccept(s, a.client, { role: 'ADMIN', brandIds: [a1] });
      const agentA2 = await inviteAndAccept(s, a.client, { role: 'AGENT', brandIds: [a2] });

      expect(await a.client.code(REMOVE, { membershipId: foreign.membershipId })).toBe('NOT_FOUND');
      expect(await scopedAdmin.client.code(REMOVE, { membershipId: agentA2.membershipId })).toBe('NOT_FOUND');
      expect(
        await count(`memberships WHERE id IN ($1, $2)`, [foreign.membershipId, agentA2.membershipId]),
      ).toBe(2);
    });
  });
});
