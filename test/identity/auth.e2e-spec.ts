import { signUpAgency, SIGN_UP, STRONG_PASSWORD } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken agency { id } user { email } } }`;
const ME = `{ me { user { id email } agency { id } role brandIds agencies { id } } }`;

describe('sign-up, login, me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('signs up an agency with its OWNER and answers me', async () => {
    const owner = await signUpAgency(t.gql);
    const { me } = await owner.client.ok(ME);
    expect(me.user.email).toBe(owner.email);
    expect(me.agency.id).toBe(owner.agencyId);
    expect(me.role).toBe('OWNER');
    expect(me.brandIds).toBeNull();
    const rows = await t.ownerQuery('SELECT role FROM memberships WHERE agency_id = $1', [owner.agencyId]);
    expect(rows).toEqual([{ role: 'OWNER' }]);
  });

  it('logs in with the right password and refuses a wrong one and an unknown email alike', async () => {
    const owner = await signUpAgency(t.gql);
    const { login } = await t.gql.ok(LOGIN, {
      input: { email: owner.email.toUpperCase(), password: STRONG_PASSWORD },
    });
    expect(login.agency.id).toBe(owner.agencyId);

    const wrong = await t.gql.request(LOGIN, {
      input: { email: owner.email, password: 'not the password!' },
    });
    const unknown = await t.gql.request(LOGIN, {
      input: { email: 'nobody@example.com', password: 'not the password!' },
    });
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0]).toEqual(wrong.errors?.[0]);
  });

  it('refuses me without a token or with a forged one', async () => {
    expect(await t.gql.code(ME)).toBe('UNAUTHENTICATED');
    expect(await t.gql.as('eyJhbGciOiJIUzI1NiJ9.e30.forged').code(ME)).toBe('UNAUTHENTICATED');
  });

  it('rejects a short or common password and a taken email, writing nothing', async () => {
    const before = await t.ownerQuery('SELECT count(*)::int AS n FROM agencies');
    const input = { agencyName: 'A', name: 'N', email: 'short@example.com', password: 'short' };
    expect(await t.gql.code(SIGN_UP, { input })).toBe('BAD_USER_INPUT');
    expect(await t.gql.code(SIGN_UP, { input: { ...input, password: 'password1234' } })).toBe(
      'BAD_USER_INPUT',
    );
    const owner = await signUpAgency(t.gql);
    expect(
      await t.gql.code(SIGN_UP, { input: { ...input, email: owner.email, password: STRONG_PASSWORD } }),
    ).toBe('CONFLICT');
    const after = await t.ownerQuery('SELECT count(*)::int AS n FROM agencies');
    expect(after[0].n).toBe(before[0].n + 1);
  });
});
