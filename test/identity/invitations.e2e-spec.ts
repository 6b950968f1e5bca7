import { OnboardingRegistry } from '@caredesk/brands';
import { RequestContext } from '@caredesk/core';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, STRONG_PASSWORD } from '../support/fixtures';
import { tokenFromMail } from '../support/smtp-capture';
import { startTestWorker } from '../support/test-worker';
import {
  ACCEPT,
  insertBrand,
  INVITE_MEMBER,
  INVITE_STAKEHOLDER,
  inviteAndAccept,
  MailStack,
  MEMBER_PASSWORD,
  startMailStack,
  uniqueEmail,
} from './invitations.support';

const INVITATIONS = `{ invitations { id email role brandIds expiresAt } }`;
const RESEND = `mutation($id: ID!) { resendInvitation(id: $id) { id expiresAt } }`;
const REVOKE = `mutation($id: ID!) { revokeInvitation(id: $id) }`;
const ME = `{ me { role brandIds agency { id } user { email name } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken agency { id } } }`;

describe('invitations', () => {
  let s: MailStack;
  beforeAll(async () => {
    s = await startMailStack();
  });
  afterAll(() => s.close());

  const count = (from: string, params?: unknown[]) => s.t.count(from, params);

  it('mails the invitation through the worker; the token from the mail creates the user and the scoped membership', async () => {
    const owner = await signUpAgency(s.t.gql);
    const brand = await insertBrand(s.t, owner.agencyId, 'Acme <Coffee>');
    const email = uniqueEmail('agent');
    const { inviteMember } = await owner.client.ok(INVITE_MEMBER, {
      input: { email: email.toUpperCase(), role: 'AGENT', brandIds: [brand] },
    });
    expect(inviteMember).toMatchObject({ email, role: 'AGENT', brandIds: [brand] });
    const days = (Date.parse(inviteMember.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    const mail = await s.smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toContain('invited');
    expect(mail.from).toContain('no-reply@caredesk.local');
    expect(mail.text).toContain('http://app.caredesk.test/accept-invitation?token=');
    expect(mail.html).toContain('href="http://app.caredesk.test/accept-invitation?token=');
    const token = tokenFromMail(mail);
    expect(token.startsWith(`${owner.agencyId}.`)).toBe(true);
    // Only the hash is stored.
    const [row] = await s.t.ownerQuery('SELECT token_hash FROM invitations WHERE id = $1', [inviteMember.id]);
    expect(row.token_hash).not.toContain(token.split('.')[1]);

    const { acceptInvitation } = await s.t.gql.ok(ACCEPT, {
      token,
      name: 'Ana Agent',
      password: MEMBER_PASSWORD,
    });
    expect(acceptInvitation.user).toMatchObject({ email, name: 'Ana Agent' });
    expect(acceptInvitation.agency.id).toBe(owner.agencyId);
    const { me } = await s.t.gql.as(acceptInvitation.accessToken).ok(ME);
    expect(me).toMatchObject({ role: 'AGENT', brandIds: [brand] });
    // The session is a real one: its refresh token rotates.
    await s.t.gql.ok(`mutation($t: String!) { refreshToken(token: $t) { accessToken } }`, {
      t: acceptInvitation.refreshToken,
    });

    const [inv] = await s.t.ownerQuery('SELECT accepted_at FROM invitations WHERE id = $1', [
      inviteMember.id,
    ]);
    expect(inv.accepted_at).not.toBeNull();
    const audit = await s.t.ownerQuery(
      `SELECT action, actor_label FROM audit_events WHERE agency_id = $1 AND action LIKE 'invitation.%' ORDER BY created_at`,
      [owner.agencyId],
    );
    expect(audit.map((a) => a.action)).toEqual(['invitation.create', 'invitation.accept']);
    expect(audit[1].actor_label).toBe(email);
    const changes = await s.t.ownerQuery(`SELECT changes::text AS c FROM audit_events WHERE agency_id = $1`, [
      owner.agencyId,
    ]);
    for (const c of changes) expect(c.c).not.toContain(token.split('.')[1]);

    // Single use.
    expect(await s.t.gql.code(ACCEPT, { token, name: 'Ana Again', password: MEMBER_PASSWORD })).toBe(
      'NOT_FOUND',
    );
  });

  it('lets an existing user join with their own password (name ignored), and refuses a wrong one', async () => {
    const a = await signUpAgency(s.t.gql, 'A');
    const b = await signUpAgency(s.t.gql, 'B');
    await a.client.ok(INVITE_MEMBER, { input: { email: b.email, role: 'MANAGER' } });
    const token = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(b.email)));

    const memberships = await count('memberships');
    expect(await s.t.gql.code(ACCEPT, { token, name: 'X', password: 'not the password at all' })).toBe(
      'UNAUTHENTICATED',
    );
    expect(await count('memberships')).toBe(memberships);

    const { acceptInvitation } = await s.t.gql.ok(ACCEPT, {
      token,
      name: 'Ignored Name',
      password: STRONG_PASSWORD,
    });
    expect(acceptInvitation.user).toMatchObject({ id: b.userId, name: 'Olivia Owner' });
    expect(acceptInvitation.agency.id).toBe(a.agencyId);
    const { login } = await s.t.gql.ok(LOGIN, {
      input: { email: b.email, password: STRONG_PASSWORD, agencyId: a.agencyId },
    });
    expect(login.agency.id).toBe(a.agencyId);

    // Already a member: inviting again is a CONFLICT, and so is accepting a second invitation.
    expect(await a.client.code(INVITE_MEMBER, { input: { email: b.email, role: 'AGENT' } })).toBe('CONFLICT');
  });

  it('answers CONFLICT when the invitee became a member meanwhile, and writes nothing', async () => {
    const a = await signUpAgency(s.t.gql, 'A');
    const b = await signUpAgency(s.t.gql, 'B');
    await a.client.ok(INVITE_MEMBER, { input: { email: b.email, role: 'AGENT' } });
    const token = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(b.email)));
    await s.t.ownerQuery(
      `INSERT INTO memberships (agency_id, id, user_id, role) VALUES ($1, gen_random_uuid(), $2, 'AGENT')`,
      [a.agencyId, b.userId],
    );
    expect(await s.t.gql.code(ACCEPT, { token, name: 'B', password: STRONG_PASSWORD })).toBe('CONFLICT');
    expect(await count(`invitations WHERE agency_id = $1 AND accepted_at IS NOT NULL`, [a.agencyId])).toBe(0);
  });

  it('refuses expired, revoked and malformed tokens alike with NOT_FOUND', async () => {
    const owner = await signUpAgency(s.t.gql);
    const e1 = uniqueEmail();
    const e2 = uniqueEmail();
    const { inviteMember: i1 } = await owner.client.ok(INVITE_MEMBER, {
      input: { email: e1, role: 'AGENT' },
    });
    const { inviteMember: i2 } = await owner.client.ok(INVITE_MEMBER, {
      input: { email: e2, role: 'AGENT' },
    });
    const t1 = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(e1)));
    const t2 = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(e2)));

    await s.t.ownerQuery(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      i1.id,
    ]);
    expect(await s.t.gql.code(ACCEPT, { token: t1, name: 'N', password: MEMBER_PASSWORD })).toBe('NOT_FOUND');

    expect(await owner.client.ok(REVOKE, { id: i2.id })).toEqual({ revokeInvitation: true });
    expect(await s.t.gql.code(ACCEPT, { token: t2, name: 'N', password: MEMBER_PASSWORD })).toBe('NOT_FOUND');
    expect(await owner.client.code(REVOKE, { id: i2.id })).toBe('NOT_FOUND');

    for (const token of ['garbage', `${owner.agencyId}.`, `${owner.agencyId}.${'A'.repeat(43)}`, '.x.y']) {
      expect(await s.t.gql.code(ACCEPT, { token, name: 'N', password: MEMBER_PASSWORD })).toBe('NOT_FOUND');
    }
    expect(await count('users WHERE email IN ($1, $2)', [e1, e2])).toBe(0);
  });

  it('resends with a fresh token (the old one stops working) and lists only pending invitations', async () => {
    const owner = await signUpAgency(s.t.gql);
    const email = uniqueEmail();
    const { inviteMember } = await owner.client.ok(INVITE_MEMBER, { input: { email, role: 'ADMIN' } });
    const first = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(email)));
    await owner.client.ok(RESEND, { id: inviteMember.id });
    const second = tokenFromMail(
      await s.smtp.waitFor((m) => m.to.includes(email) && tokenFromMail(m) !== first),
    );
    expect(second).not.toBe(first);

    const { invitations } = await owner.client.ok(INVITATIONS);
    expect(invitations.map((i: { id: string }) => i.id)).toEqual([inviteMember.id]);

    expect(await s.t.gql.code(ACCEPT, { token: first, name: 'N', password: MEMBER_PASSWORD })).toBe(
      'NOT_FOUND',
    );
    await s.t.gql.ok(ACCEPT, { token: second, name: 'N', password: MEMBER_PASSWORD });
    expect((await owner.client.ok(INVITATIONS)).invitations).toEqual([]);
    const actions = await s.t.ownerQuery(
      `SELECT action FROM audit_events WHERE agency_id = $1 ORDER BY created_at`,
      [owner.agencyId],
    );
    expect(actions.map((a) => a.action)).toEqual([
      'invitation.create',
      'invitation.resend',
      'invitation.accept',
    ]);
  });

  it('enforces who may grant what', async () => {
    const owner = await signUpAgency(s.t.gql);
    const brand1 = await insertBrand(s.t, owner.agencyId);
    const brand2 = await insertBrand(s.t, owner.agencyId);
    const admin = await inviteAndAccept(s, owner.client, { role: 'ADMIN' });
    const manager = await inviteAndAccept(s, owner.client, { role: 'MANAGER' });
    const agent = await inviteAndAccept(s, owner.client, { role: 'AGENT' });
    const invite = (c: typeof owner.client, role: string, brandIds?: string[]) =>
      c.request(INVITE_MEMBER, { input: { email: uniqueEmail(), role, brandIds } });

    const before = await count('invitations WHERE agency_id = $1', [owner.agencyId]);
    expect((await invite(admin.client, 'OWNER')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await invite(manager.client, 'AGENT')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await invite(agent.client, 'AGENT')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await invite(owner.client, 'CLIENT_VIEWER')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await invite(owner.client, 'CLIENT_VIEWER', [])).errors?.[0].extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await invite(owner.client, 'CLIENT_VIEWER', [brand1, brand2])).errors?.[0].extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await invite(owner.client, 'OWNER', [brand1])).errors?.[0].extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect(await count('invitations WHERE agency_id = $1', [owner.agencyId])).toBe(before);

    expect((await invite(owner.client, 'OWNER')).errors).toBeUndefined();
    expect((await invite(admin.client, 'ADMIN', [brand1, brand2])).errors).toBeUndefined();
    expect((await invite(admin.client, 'CLIENT_VIEWER', [brand1])).errors).toBeUndefined();

    const email = uniqueEmail();
    await owner.client.ok(INVITE_MEMBER, { input: { email, role: 'AGENT' } });
    expect(await owner.client.code(INVITE_MEMBER, { input: { email, role: 'AGENT' } })).toBe('CONFLICT');
    // An expired invitation no longer blocks a new one.
    await s.t.ownerQuery(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = $1`, [
      email,
    ]);
    await owner.client.ok(INVITE_MEMBER, { input: { email, role: 'AGENT' } });
  });

  it('keeps the mail in Redis while no worker runs, and delivers it once one starts', async () => {
    const owner = await signUpAgency(s.t.gql);
    await s.worker.close();
    const email = uniqueEmail();
    try {
      await owner.client.ok(INVITE_MEMBER, { input: { email, role: 'AGENT' } });
      await expect(s.smtp.waitFor((m) => m.to.includes(email), 1000)).rejects.toThrow('No matching mail');
    } finally {
      s.worker = await startTestWorker();
    }
    await s.smtp.waitFor((m) => m.to.includes(email));
  });

  it('refuses a weak password for a new account and keeps the invitation usable', async () => {
    const owner = await signUpAgency(s.t.gql);
    const email = uniqueEmail();
    await owner.client.ok(INVITE_MEMBER, { input: { email, role: 'AGENT' } });
    const token = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(email)));
    const users = await count('users');
    expect(await s.t.gql.code(ACCEPT, { token, name: 'N', password: 'short' })).toBe('BAD_USER_INPUT');
    expect(await s.t.gql.code(ACCEPT, { token, name: 'N', password: 'password1234' })).toBe('BAD_USER_INPUT');
    expect(await s.t.gql.code(ACCEPT, { token, name: '   ', password: MEMBER_PASSWORD })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await count('users')).toBe(users);
    await s.t.gql.ok(ACCEPT, { token, name: 'N', password: MEMBER_PASSWORD });
  });

  it('rejects bad input to every invitation mutation with BAD_USER_INPUT and writes nothing', async () => {
    const owner = await signUpAgency(s.t.gql);
    const brand = await insertBrand(s.t, owner.agencyId);
    const huge = 'x'.repeat(1_000_000);
    const before = {
      inv: await count('invitations'),
      users: await count('users'),
      members: await count('memberships'),
    };

    const badInvites: unknown[] = [
      { email: '', role: 'AGENT' },
      { email: 'not-an-email', role: 'AGENT' },
      { email: `${huge}@example.com`, role: 'AGENT' },
      { email: 123, role: 'AGENT' },
      { email: uniqueEmail(), role: 'SUPERUSER' },
      { email: uniqueEmail(), role: 'AGENT', brandIds: ['not-a-uuid'] },
      { email: uniqueEmail(), role: 'AGENT', brandIds: [''] },
      { email: uniqueEmail(), role: 'AGENT', brandIds: 'x' },
      { email: uniqueEmail() },
    ];
    for (const input of badInvites) {
      expect(await owner.client.code(INVITE_MEMBER, { input })).toBe('BAD_USER_INPUT');
    }
    for (const vars of [
      { brandId: 'not-a-uuid', email: uniqueEmail() },
      { brandId: brand, email: '' },
      { brandId: brand, email: huge },
      { brandId: brand, email: 42 },
      { brandId: huge, email: uniqueEmail() },
    ]) {
      expect(await owner.client.code(INVITE_STAKEHOLDER, vars)).toBe('BAD_USER_INPUT');
    }
    for (const id of ['', 'not-a-uuid', huge]) {
      expect(await owner.client.code(RESEND, { id })).toBe('BAD_USER_INPUT');
      expect(await owner.client.code(REVOKE, { id })).toBe('BAD_USER_INPUT');
    }
    for (const vars of [
      { token: '', name: 'N', password: MEMBER_PASSWORD },
      { token: huge, name: 'N', password: MEMBER_PASSWORD },
      { token: 'x', name: huge, password: MEMBER_PASSWORD },
      { token: 'x', name: 'N', password: huge },
      { token: 1, name: 'N', password: MEMBER_PASSWORD },
      { token: 'x', name: 'N' },
    ]) {
      expect(await s.t.gql.code(ACCEPT, vars)).toBe('BAD_USER_INPUT');
    }
    expect(await count('invitations')).toBe(before.inv);
    expect(await count('users')).toBe(before.users);
    expect(await count('memberships')).toBe(before.members);
  });

  describe('stakeholders', () => {
    it('invites a CLIENT_VIEWER of exactly that brand and completes the onboarding step', async () => {
      const owner = await signUpAgency(s.t.gql);
      const brand1 = await insertBrand(s.t, owner.agencyId, 'Acme & Café <Ünïcode>');
      const brand2 = await insertBrand(s.t, owner.agencyId, 'Globex');
      const manager = await inviteAndAccept(s, owner.client, { role: 'MANAGER', brandIds: [brand1] });
      const step = s.t.app
        .get(OnboardingRegistry)
        .steps()
        .find((p) => p.key === 'STAKEHOLDERS_INVITED')!;
      expect(step).toBeDefined();
      const ctx = RequestContext.system(owner.agencyId, 'test');
      const done = async () => Object.fromEntries(await step.isDone(ctx, [brand1, brand2]));
      expect(await done()).toEqual({ [brand1]: false, [brand2]: false });

      const email = uniqueEmail('stakeholder');
      const { inviteStakeholder } = await manager.client.ok(INVITE_STAKEHOLDER, { brandId: brand1, email });
      expect(inviteStakeholder).toMatchObject({ email, role: 'CLIENT_VIEWER', brandIds: [brand1] });
      const mail = await s.smtp.waitFor((m) => m.to.includes(email));
      expect(mail.subject).toContain('Acme & Café <Ünïcode>');
      expect(mail.text).toContain('Acme & Café <Ünïcode>');
      // Names are escaped in the HTML part.
      expect(mail.html).toContain('Acme &amp; Café &lt;Ünïcode&gt;');
      expect(await done()).toEqual({ [brand1]: true, [brand2]: false });

      // The manager sees and may revoke stakeholder invitations of their brands.
      expect((await manager.client.ok(`{ invitations { id } }`)).invitations).toEqual([
        { id: inviteStakeholder.id },
      ]);
      await manager.client.ok(REVOKE, { id: inviteStakeholder.id });
      expect(await done()).toEqual({ [brand1]: false, [brand2]: false });

      const viewer = await inviteAndAccept(s, owner.client, { role: 'CLIENT_VIEWER', brandIds: [brand2] });
      expect(await done()).toEqual({ [brand1]: false, [brand2]: true });
      const { me } = await viewer.client.ok(ME);
      expect(me).toMatchObject({ role: 'CLIENT_VIEWER', brandIds: [brand2] });

      const audit = await s.t.ownerQuery(
        `SELECT brand_id FROM audit_events WHERE agency_id = $1 AND action = 'invitation.create' AND entity_id = $2`,
        [owner.agencyId, inviteStakeholder.id],
      );
      expect(audit).toEqual([{ brand_id: brand1 }]);
      // An agent may not invite stakeholders.
      const agent = await inviteAndAccept(s, owner.client, { role: 'AGENT', brandIds: [brand1] });
      expect(await agent.client.code(INVITE_STAKEHOLDER, { brandId: brand1, email: uniqueEmail() })).toBe(
        'FORBIDDEN',
      );
    });
  });

  describe(crossTenant('inviteMember'), () => {
    it("answers NOT_FOUND for another agency's brand and for a brand outside the caller's scope", async () => {
      const a = await signUpAgency(s.t.gql, 'A');
      const b = await signUpAgency(s.t.gql, 'B');
      const a1 = await insertBrand(s.t, a.agencyId);
      const a2 = await insertBrand(s.t, a.agencyId);
      const b1 = await insertBrand(s.t, b.agencyId);
      const scopedAdmin = await inviteAndAccept(s, a.client, { role: 'ADMIN', brandIds: [a1] });
      const before = await count('invitations');
      const invite = (c: typeof a.client, brandIds: string[]) =>
        c.code(INVITE_MEMBER, { input: { email: uniqueEmail(), role: 'AGENT', brandIds } });
      expect(await invite(a.client, [b1])).toBe('NOT_FOUND');
      expect(await invite(a.client, [a1, b1])).toBe('NOT_FOUND');
      expect(await invite(scopedAdmin.client, [a2])).toBe('NOT_FOUND');
      expect(await invite(scopedAdmin.client, [a1, a2])).toBe('NOT_FOUND');
      expect(await count('invitations')).toBe(before);
      // A brand-limited admin cannot hand out every brand either.
      expect(
        await scopedAdmin.client.code(INVITE_MEMBER, { input: { email: uniqueEmail(), role: 'AGENT' } }),
      ).toBe('FORBIDDEN');
    });
  });

  describe(crossTenant('inviteStakeholder'), () => {
    it("answers NOT_FOUND for another agency's brand and for a brand outside the manager's scope", async () => {
      const a = await signUpAgency(s.t.gql, 'A');
      const b = await signUpAgency(s.t.gql, 'B');
      const a1 = await insertBrand(s.t, a.agencyId);
      const a2 = await insertBrand(s.t, a.agencyId);
      const b1 = await insertBrand(s.t, b.agencyId);
      const manager = await inviteAndAccept(s, a.client, { role: 'MANAGER', brandIds: [a1] });
      const before = await count('invitations');
      expect(await a.client.code(INVITE_STAKEHOLDER, { brandId: b1, email: uniqueEmail() })).toBe(
        'NOT_FOUND',
      );
      expect(await manager.client.code(INVITE_STAKEHOLDER, { brandId: a2, email: uniqueEmail() })).toBe(
        'NOT_FOUND',
      );
      expect(await count('invitations')).toBe(before);
    });
  });

  /** Shared by resendInvitation and revokeInvitation: both must treat these invitations as missing. */
  const expectInvitationHidden = (query: string) => async () => {
    const a = await signUpAgency(s.t.gql, 'A');
    const b = await signUpAgency(s.t.gql, 'B');
    const a1 = await insertBrand(s.t, a.agencyId);
    const a2 = await insertBrand(s.t, a.agencyId);
    const { inviteMember: foreign } = await b.client.ok(INVITE_MEMBER, {
      input: { email: uniqueEmail(), role: 'AGENT' },
    });
    const { inviteMember: outOfScope } = await a.client.ok(INVITE_MEMBER, {
      input: { email: uniqueEmail(), role: 'AGENT', brandIds: [a2] },
    });
    const scopedAdmin = await inviteAndAccept(s, a.client, { role: 'ADMIN', brandIds: [a1] });
    const manager = await inviteAndAccept(s, a.client, { role: 'MANAGER' });

    expect(await a.client.code(query, { id: foreign.id })).toBe('NOT_FOUND');
    expect(await scopedAdmin.client.code(query, { id: outOfScope.id })).toBe('NOT_FOUND');
    // A manager manages only stakeholder invitations.
    expect(await manager.client.code(query, { id: outOfScope.id })).toBe('NOT_FOUND');
    expect(await a.client.code(query, { id: '00000000-0000-4000-8000-000000000000' })).toBe('NOT_FOUND');
    const rows = await s.t.ownerQuery(`SELECT revoked_at FROM invitations WHERE id IN ($1, $2)`, [
      foreign.id,
      outOfScope.id,
    ]);
    expect(rows.every((r) => r.revoked_at === null)).toBe(true);
    // Neither shows up in the scoped admin's list.
    const { invitations } = await scopedAdmin.client.ok(INVITATIONS);
    expect(invitations.map((i: { id: string }) => i.id)).not.toContain(outOfScope.id);
  };

  describe(crossTenant('resendInvitation'), () => {
    it(
      "answers NOT_FOUND for another agency's invitation and one for a brand outside the caller's scope",
      expectInvitationHidden(RESEND),
    );
  });

  describe(crossTenant('revokeInvitation'), () => {
    it(
      "answers NOT_FOUND for another agency's invitation and one for a brand outside the caller's scope",
      expectInvitationHidden(REVOKE),
    );
  });

  it('refuses a token whose agency part names another agency (NOT_FOUND, like a missing one)', async () => {
    const a = await signUpAgency(s.t.gql, 'A');
    const b = await signUpAgency(s.t.gql, 'B');
    const email = uniqueEmail();
    await a.client.ok(INVITE_MEMBER, { input: { email, role: 'AGENT' } });
    const token = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(email)));
    const forged = `${b.agencyId}.${token.split('.')[1]}`;
    expect(await s.t.gql.code(ACCEPT, { token: forged, name: 'N', password: MEMBER_PASSWORD })).toBe(
      'NOT_FOUND',
    );
    expect(await count('memberships WHERE agency_id = $1', [b.agencyId])).toBe(1);
  });
});
