import { totpCode, TOTP_PERIOD_SECONDS } from '../../libs/identity/src/two-factor/totp';
import { signUpAgency, SignedUp, STRONG_PASSWORD } from '../support/fixtures';
import { GqlClient } from '../support/graphql-client';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';

const BEGIN = `mutation { beginTwoFactorSetup { secret otpauthUrl qrCodeDataUrl } }`;
const CONFIRM = `mutation($code: String!) { confirmTwoFactor(code: $code) }`;
const DISABLE = `mutation($code: String!) { disableTwoFactor(code: $code) }`;
const REQUIRE = `mutation($required: Boolean!) { setAgencyTwoFactorRequirement(required: $required) { id requireTwoFactor } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { twoFactorEnabled } } }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken } }`;
const ME = `{ me { user { id twoFactorEnabled } } }`;
const LOGOUT = `mutation { logout }`;

const mfaOf = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).mfa as boolean;

/** A code for the step after `offset` steps from now, so consecutive uses are not replays. */
const codeAt = (secret: string, offset = 0) =>
  totpCode(secret, Date.now() + offset * TOTP_PERIOD_SECONDS * 1000);

describe('two-factor sign-in (TOTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_LOGIN_PER_IP: '100000', THROTTLE_LOGIN_PER_EMAIL: '100000' });
  });
  afterAll(() => t.close());

  const totpColumns = async (userId: string) =>
    (
      await t.ownerQuery(
        'SELECT totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step FROM users WHERE id = $1',
        [userId],
      )
    )[0];

  async function enable(client: GqlClient): Promise<string> {
    const { beginTwoFactorSetup } = await client.ok(BEGIN);
    await client.ok(CONFIRM, { code: codeAt(beginTwoFactorSetup.secret) });
    return beginTwoFactorSetup.secret;
  }

  it('sets up with a sealed secret, a QR code, and confirmation by a code', async () => {
    const owner = await signUpAgency(t.gql);
    const { beginTwoFactorSetup: setup } = await owner.client.ok(BEGIN);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUrl).toContain(`secret=${setup.secret}`);
    expect(setup.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const pending = await totpColumns(owner.userId);
    expect(pending.totp_pending_secret).toMatch(/^v1\./);
    expect(pending.totp_pending_secret).not.toContain(setup.secret);
    expect(pending.totp_enabled_at).toBeNull();

    expect(
      await owner.client.code(CONFIRM, { code: '000000' === codeAt(setup.secret) ? '111111' : '000000' }),
    ).toBe('BAD_USER_INPUT');
    expect((await owner.client.ok(CONFIRM, { code: codeAt(setup.secret) })).confirmTwoFactor).toBe(true);
    const on = await totpColumns(owner.userId);
    expect(on.totp_secret).toBe(pending.totp_pending_secret);
    expect(on.totp_pending_secret).toBeNull();
    expect(on.totp_enabled_at).not.toBeNull();
    expect((await owner.client.ok(ME)).me.user.twoFactorEnabled).toBe(true);
    expect(await owner.client.code(BEGIN)).toBe('CONFLICT');

    const audit = await t.ownerQuery(
      `SELECT action FROM audit_events WHERE agency_id = $1 AND entity_id = $2 ORDER BY created_at`,
      [owner.agencyId, owner.userId],
    );
    expect(audit.map((a) => a.action)).toEqual(['user.two_factor_setup_begin', 'user.two_factor_enable']);
  });

  it('login asks for the code only after the right password, refuses a wrong or replayed one, and marks tokens mfa', async () => {
    const owner = await signUpAgency(t.gql);
    const secret = await enable(owner.client);

    const noCode = await t.gql.request(LOGIN, { input: { email: owner.email, password: STRONG_PASSWORD } });
    expect(noCode.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TWO_FACTOR_REQUIRED' });
    const wrongPassword = await t.gql.request(LOGIN, {
      input: { email: owner.email, password: 'not the password!', totpCode: codeAt(secret) },
    });
    expect(wrongPassword.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(wrongPassword.errors?.[0].message).toBe('Invalid email or password');

    const wrong = await t.gql.request(LOGIN, {
      input: { email: owner.email, password: STRONG_PASSWORD, totpCode: '12345x' },
    });
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const code = codeAt(secret, 1);
    const { login } = await t.gql.ok(LOGIN, {
      input: { email: owner.email, password: STRONG_PASSWORD, totpCode: code },
    });
    expect(mfaOf(login.accessToken)).toBe(true);
    expect(login.user.twoFactorEnabled).toBe(true);
    const replay = await t.gql.request(LOGIN, {
      input: { email: owner.email, password: STRONG_PASSWORD, totpCode: code },
    });
    expect(replay.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // An older step than the last accepted one is a replay too.
    const older = await t.gql.request(LOGIN, {
      input: { email: owner.email, password: STRONG_PASSWORD, totpCode: codeAt(secret) },
    });
    expect(older.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const { refreshToken } = await t.gql.ok(REFRESH, { token: login.refreshToken });
    expect(mfaOf(refreshToken.accessToken)).toBe(true);
  });

  it('disables with a current code only, and refuses bad codes writing nothing', async () => {
    const owner = await signUpAgency(t.gql);
    const secret = await enable(owner.client);
    const before = await totpColumns(owner.userId);
    for (const code of ['', '12345', 'abcdef', 'x'.repeat(1_000_000), codeAt(secret, -1)]) {
      expect(await owner.client.code(DISABLE, { code })).toBe('BAD_USER_INPUT');
    }
    expect(await owner.client.code(DISABLE, { code: 123456 })).toBe('BAD_USER_INPUT');
    expect(await totpColumns(owner.userId)).toEqual(before);

    expect((await owner.client.ok(DISABLE, { code: codeAt(secret, 1) })).disableTwoFactor).toBe(true);
    const off = await totpColumns(owner.userId);
    expect(off.totp_secret).toBeNull();
    expect(off.totp_enabled_at).toBeNull();
    const { login } = await t.gql.ok(LOGIN, { input: { email: owner.email, password: STRONG_PASSWORD } });
    expect(mfaOf(login.accessToken)).toBe(false);
  });

  it('refuses bad input to setup confirmation, writing nothing', async () => {
    const owner = await signUpAgency(t.gql);
    expect(await owner.client.code(CONFIRM, { code: '123456' })).toBe('BAD_USER_INPUT'); // no setup begun
    await owner.client.ok(BEGIN);
    const before = await totpColumns(owner.userId);
    for (const code of ['', '1234567', 'x'.repeat(1_000_000), '12 456']) {
      expect(await owner.client.code(CONFIRM, { code })).toBe('BAD_USER_INPUT');
    }
    expect(await owner.client.code(CONFIRM, { code: null })).toBe('BAD_USER_INPUT');
    expect(await owner.client.code(REQUIRE, { required: 'yes' })).toBe('BAD_USER_INPUT');
    expect(await totpColumns(owner.userId)).toEqual(before);
    const agency = await t.ownerQuery('SELECT require_two_factor FROM agencies WHERE id = $1', [
      owner.agencyId,
    ]);
    expect(agency[0].require_two_factor).toBe(false);
  });

  describe('an agency that requires two-factor sign-in', () => {
    let owner: SignedUp;
    beforeAll(async () => {
      owner = await signUpAgency(t.gql);
    });

    it('only OWNER/ADMIN may switch it, and the switch is audited', async () => {
      const manager = await createMember(t, owner.agencyId, 'MANAGER');
      expect(await manager.client.code(REQUIRE, { required: true })).toBe('FORBIDDEN');
      const admin = await createMember(t, owner.agencyId, 'ADMIN');
      const { setAgencyTwoFactorRequirement } = await admin.client.ok(REQUIRE, { required: true });
      expect(setAgencyTwoFactorRequirement).toEqual({ id: owner.agencyId, requireTwoFactor: true });
      const audit = await t.ownerQuery(
        `SELECT actor_user_id, changes FROM audit_events WHERE agency_id = $1 AND action = 'agency.two_factor_requirement'`,
        [owner.agencyId],
      );
      expect(audit).toEqual([
        { actor_user_id: admin.userId, changes: { requireTwoFactor: { from: false, to: true } } },
      ]);
    });

    it('lets a member without mfa only see themselves, set it up and log out', async () => {
      const agent = await createMember(t, owner.agencyId, 'AGENT');
      const refused = await agent.client.request(`{ apiKeys { id } }`);
      expect(refused.errors?.[0].extensions).toEqual({
        code: 'FORBIDDEN',
        reason: 'TWO_FACTOR_SETUP_REQUIRED',
      });
      const refusedMutation = await agent.client.request(REQUIRE, { required: false });
      expect(refusedMutation.errors?.[0].extensions?.reason).toBe('TWO_FACTOR_SETUP_REQUIRED');
      expect((await agent.client.ok(ME)).me.user.id).toBe(agent.userId);

      const secret = await enable(agent.client);
      // The token in hand did not pass two-factor; a new login with a code does.
      expect((await agent.client.request(`{ apiKeys { id } }`)).errors?.[0].extensions?.reason).toBe(
        'TWO_FACTOR_SETUP_REQUIRED',
      );
      const { login } = await t.gql.ok(LOGIN, {
        input: {
          email: agent.email,
          password: STRONG_PASSWORD,
          agencyId: owner.agencyId,
          totpCode: codeAt(secret, 1),
        },
      });
      const withMfa = t.gql.as(login.accessToken);
      // Past the two-factor gate: an AGENT now meets the ordinary role check instead.
      expect(await withMfa.code(`{ apiKeys { id } }`)).toBe('FORBIDDEN');
      expect((await withMfa.request(`{ apiKeys { id } }`)).errors?.[0].extensions?.reason).toBeUndefined();
      expect(await withMfa.code(DISABLE, { code: codeAt(secret, 2) })).toBe('FORBIDDEN');
      expect((await agent.client.ok(LOGOUT)).logout).toBe(true);
    });

    it('does not affect other agencies', async () => {
      const other = await signUpAgency(t.gql);
      expect((await other.client.ok(`{ apiKeys { id } }`)).apiKeys).toEqual([]);
    });
  });
});
