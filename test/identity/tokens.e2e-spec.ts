import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, STRONG_PASSWORD } from '../support/fixtures';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';

const REFRESH = `mutation($token: String!) {
  refreshToken(token: $token) { accessToken refreshToken user { id } agency { id } }
}`;
const LOGOUT = `mutation($refreshToken: String) { logout(refreshToken: $refreshToken) }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken agency { id } } }`;
const ME = `{ me { user { id } } }`;

describe('refresh tokens, logout and access-token revocation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_LOGIN_PER_IP: '100000', THROTTLE_LOGIN_PER_EMAIL: '100000' });
  });
  afterAll(() => t.close());

  const familyOf = async (token: string) =>
    (await t.ownerQuery('SELECT family_id FROM refresh_tokens WHERE id = $1', [token.split('.')[1]]))[0]
      .family_id;

  it('rotates: a refresh token gives a new working pair in the same family', async () => {
    const owner = await signUpAgency(t.gql);
    const { refreshToken: next } = await t.gql.ok(REFRESH, { token: owner.refreshToken });
    expect(next.agency.id).toBe(owner.agencyId);
    expect(next.user.id).toBe(owner.userId);
    expect(next.refreshToken).not.toBe(owner.refreshToken);
    expect(await familyOf(next.refreshToken)).toBe(await familyOf(owner.refreshToken));
    const { me } = await t.gql.as(next.accessToken).ok(ME);
    expect(me.user.id).toBe(owner.userId);
    const { refreshToken: third } = await t.gql.ok(REFRESH, { token: next.refreshToken });
    expect(third.accessToken).toBeTruthy();
  });

  it('revokes the whole family when a used token is presented again (theft detection)', async () => {
    const owner = await signUpAgency(t.gql);
    const { refreshToken: next } = await t.gql.ok(REFRESH, { token: owner.refreshToken });
    expect(await t.gql.code(REFRESH, { token: owner.refreshToken })).toBe('UNAUTHENTICATED');
    // The thief's (or the victim's) newer token is dead too.
    expect(await t.gql.code(REFRESH, { token: next.refreshToken })).toBe('UNAUTHENTICATED');
    const live = await t.ownerQuery(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL',
      [await familyOf(owner.refreshToken)],
    );
    expect(live[0].n).toBe(0);
    // Other sessions of the same user are untouched.
    const { login } = await t.gql.ok(LOGIN, { input: { email: owner.email, password: STRONG_PASSWORD } });
    expect((await t.gql.ok(REFRESH, { token: login.refreshToken })).refreshToken.accessToken).toBeTruthy();
  });

  it('lets at most one of two concurrent uses of the same token succeed', async () => {
    const owner = await signUpAgency(t.gql);
    const results = await Promise.all(
      [1, 2, 3].map(() => t.gql.request(REFRESH, { token: owner.refreshToken })),
    );
    const succeeded = results.filter((r) => !r.errors?.length);
    expect(succeeded.length).toBeLessThanOrEqual(1);
    for (const r of results.filter((x) => x.errors?.length))
      expect(r.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    const issued = await t.ownerQuery('SELECT count(*)::int AS n FROM refresh_tokens WHERE family_id = $1', [
      await familyOf(owner.refreshToken),
    ]);
    expect(issued[0].n).toBeLessThanOrEqual(2);
  });

  it('refuses expired, revoked, forged and malformed refresh tokens with UNAUTHENTICATED', async () => {
    const owner = await signUpAgency(t.gql);
    const [agencyId, id, secret] = owner.refreshToken.split('.');
    const forged = `${agencyId}.${id}.${secret.slice(0, -2)}xx`;
    const tokensBefore = await t.ownerQuery('SELECT count(*)::int AS n FROM refresh_tokens');
    for (const token of [forged, 'nonsense', '', 'a.b.c', `${agencyId}.${id}`, 'x'.repeat(1_000_000)]) {
      expect(await t.gql.code(REFRESH, { token })).toBe('UNAUTHENTICATED');
    }
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM refresh_tokens')).toEqual(tokensBefore);
    const burnt = await t.ownerQuery('SELECT used_at, revoked_at FROM refresh_tokens WHERE id = $1', [id]);
    expect(burnt).toEqual([{ used_at: null, revoked_at: null }]);
    // A forged secret must not burn the real token.
    const { refreshToken: next } = await t.gql.ok(REFRESH, { token: owner.refreshToken });

    await t.ownerQuery(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      next.refreshToken.split('.')[1],
    ]);
    expect(await t.gql.code(REFRESH, { token: next.refreshToken })).toBe('UNAUTHENTICATED');

    const other = await signUpAgency(t.gql);
    await t.ownerQuery(`UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1`, [
      other.refreshToken.split('.')[1],
    ]);
    expect(await t.gql.code(REFRESH, { token: other.refreshToken })).toBe('UNAUTHENTICATED');
    expect(await t.gql.code(REFRESH, { token: 1234 })).toBe('BAD_USER_INPUT');
  });

  it('keeps the mfa flag of the family', async () => {
    const owner = await signUpAgency(t.gql);
    await t.ownerQuery(`UPDATE refresh_tokens SET mfa = true WHERE id = $1`, [
      owner.refreshToken.split('.')[1],
    ]);
    const { refreshToken: next } = await t.gql.ok(REFRESH, { token: owner.refreshToken });
    const rows = await t.ownerQuery('SELECT mfa FROM refresh_tokens WHERE id = $1', [
      next.refreshToken.split('.')[1],
    ]);
    expect(rows[0].mfa).toBe(true);
    const claims = JSON.parse(Buffer.from(next.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.mfa).toBe(true);
  });

  it('logout with a refresh token ends that session only; without one, every session in the agency', async () => {
    const owner = await signUpAgency(t.gql);
    const { login: second } = await t.gql.ok(LOGIN, {
      input: { email: owner.email, password: STRONG_PASSWORD },
    });
    expect((await owner.client.ok(LOGOUT, { refreshToken: owner.refreshToken })).logout).toBe(true);
    expect(await t.gql.code(REFRESH, { token: owner.refreshToken })).toBe('UNAUTHENTICATED');
    const { refreshToken: rotated } = await t.gql.ok(REFRESH, { token: second.refreshToken });

    expect((await owner.client.ok(LOGOUT, {})).logout).toBe(true);
    expect(await t.gql.code(REFRESH, { token: rotated.refreshToken })).toBe('UNAUTHENTICATED');
  });

  it('logout needs a token, refuses a malformed refresh token and ignores someone else’s', async () => {
    const owner = await signUpAgency(t.gql);
    const other = await signUpAgency(t.gql);
    expect(await t.gql.code(LOGOUT, { refreshToken: owner.refreshToken })).toBe('UNAUTHENTICATED');
    for (const refreshToken of ['', 'garbage', 'x'.repeat(1_000_000)]) {
      expect(await owner.client.code(LOGOUT, { refreshToken })).toBe('BAD_USER_INPUT');
    }
    expect(await owner.client.code(LOGOUT, { refreshToken: 42 })).toBe('BAD_USER_INPUT');
    expect((await owner.client.ok(LOGOUT, { refreshToken: other.refreshToken })).logout).toBe(false);
    const revoked = await t.ownerQuery(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE revoked_at IS NOT NULL AND agency_id = $1',
      [other.agencyId],
    );
    expect(revoked[0].n).toBe(0);
    expect((await t.gql.ok(REFRESH, { token: other.refreshToken })).refreshToken.accessToken).toBeTruthy();
  });

  it('refuses access and refresh tokens issued before the password changed', async () => {
    const owner = await signUpAgency(t.gql);
    await owner.client.ok(ME);
    await t.ownerQuery(`UPDATE users SET password_changed_at = now() + interval '2 seconds' WHERE id = $1`, [
      owner.userId,
    ]);
    expect(await owner.client.code(ME)).toBe('UNAUTHENTICATED');
    expect(await t.gql.code(REFRESH, { token: owner.refreshToken })).toBe('UNAUTHENTICATED');
  });

  it('refuses the tokens of a member who was removed', async () => {
    const owner = await signUpAgency(t.gql);
    const member = await createMember(t, owner.agencyId, 'AGENT');
    const { login } = await t.gql.ok(LOGIN, {
      input: { email: member.email, password: STRONG_PASSWORD, agencyId: owner.agencyId },
    });
    await member.client.ok(ME);
    await t.ownerQuery('DELETE FROM memberships WHERE id = $1', [member.membershipId]);
    expect(await member.client.code(ME)).toBe('UNAUTHENTICATED');
    expect(await t.gql.code(REFRESH, { token: login.refreshToken })).toBe('UNAUTHENTICATED');
  });

  describe(crossTenant('login'), () => {
    it('answers another agency’s id exactly like an id that does not exist', async () => {
      const a = await signUpAgency(t.gql);
      const b = await signUpAgency(t.gql);
      const foreign = await t.gql.request(LOGIN, {
        input: { email: a.email, password: STRONG_PASSWORD, agencyId: b.agencyId },
      });
      const missing = await t.gql.request(LOGIN, {
        input: {
          email: a.email,
          password: STRONG_PASSWORD,
          agencyId: '00000000-0000-4000-8000-000000000000',
        },
      });
      expect(foreign.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(foreign.errors?.[0]).toEqual(missing.errors?.[0]);
      const { login } = await t.gql.ok(LOGIN, {
        input: { email: a.email, password: STRONG_PASSWORD, agencyId: a.agencyId },
      });
      expect(login.agency.id).toBe(a.agencyId);
    });
  });
});
