import { signUpAgency, STRONG_PASSWORD } from '../support/fixtures';
import { tokenFromMail } from '../support/smtp-capture';
import {
  INVITE_MEMBER,
  MailStack,
  startMailStack,
  ACCEPT,
  MEMBER_PASSWORD,
  uniqueEmail,
} from './invitations.support';

const REQUEST = `mutation($email: String!) { requestPasswordReset(email: $email) }`;
const RESET = `mutation($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken } }`;
const NEW_PASSWORD = 'a brand new and long passphrase';

describe('password reset', () => {
  let s: MailStack;
  beforeAll(async () => {
    s = await startMailStack();
  });
  afterAll(() => s.close());

  const count = (from: string, params?: unknown[]) => s.t.count(from, params);

  it('mails a one-hour link; the token from the mail sets the new password and ends every session in every agency', async () => {
    const owner = await signUpAgency(s.t.gql, 'A');
    const other = await signUpAgency(s.t.gql, 'B');
    // The owner of A is also a member of B, with a session there.
    await other.client.ok(INVITE_MEMBER, { input: { email: owner.email, role: 'AGENT' } });
    const invite = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(owner.email)));
    const { acceptInvitation: inB } = await s.t.gql.ok(ACCEPT, {
      token: invite,
      name: 'x',
      password: STRONG_PASSWORD,
    });

    expect(await s.t.gql.ok(REQUEST, { email: owner.email.toUpperCase() })).toEqual({
      requestPasswordReset: true,
    });
    const mail = await s.smtp.waitFor((m) => m.to.includes(owner.email) && m.subject.includes('password'));
    expect(mail.text).toContain('http://app.caredesk.test/reset-password?token=');
    const token = tokenFromMail(mail);
    const [row] = await s.t.ownerQuery(
      `SELECT token_hash, extract(epoch FROM expires_at - created_at)::int AS ttl FROM password_reset_tokens WHERE user_id = $1`,
      [owner.userId],
    );
    expect(row.token_hash).not.toBe(token);
    expect(row.ttl).toBeGreaterThanOrEqual(3599);
    expect(row.ttl).toBeLessThanOrEqual(3601);

    expect(await s.t.gql.ok(RESET, { token, newPassword: NEW_PASSWORD })).toEqual({ resetPassword: true });
    expect(await s.t.gql.code(LOGIN, { input: { email: owner.email, password: STRONG_PASSWORD } })).toBe(
      'UNAUTHENTICATED',
    );
    await s.t.gql.ok(LOGIN, { input: { email: owner.email, password: NEW_PASSWORD } });

    const live = await count(
      `refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND created_at < (
      SELECT password_changed_at FROM users WHERE id = $1)`,
      [owner.userId],
    );
    expect(live).toBe(0);
    expect(await s.t.gql.code(REFRESH, { token: owner.refreshToken })).toBe('UNAUTHENTICATED');
    expect(await s.t.gql.code(REFRESH, { token: inB.refreshToken })).toBe('UNAUTHENTICATED');

    // Single use.
    expect(await s.t.gql.code(RESET, { token, newPassword: 'yet another long passphrase' })).toBe(
      'BAD_USER_INPUT',
    );
    await s.t.gql.ok(LOGIN, { input: { email: owner.email, password: NEW_PASSWORD } });
  });

  it('answers true for an unknown email and mails nothing', async () => {
    const tokens = await count('password_reset_tokens');
    const ghost = uniqueEmail('ghost');
    expect(await s.t.gql.ok(REQUEST, { email: ghost })).toEqual({ requestPasswordReset: true });
    await expect(s.smtp.waitFor((m) => m.to.includes(ghost), 1500)).rejects.toThrow('No matching mail');
    expect(await count('password_reset_tokens')).toBe(tokens);
  });

  it('refuses an expired link, and a used link, with BAD_USER_INPUT on field token', async () => {
    const owner = await signUpAgency(s.t.gql);
    await s.t.gql.ok(REQUEST, { email: owner.email });
    const token = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(owner.email)));
    await s.t.ownerQuery(
      `UPDATE password_reset_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [owner.userId],
    );
    const r = await s.t.gql.request(RESET, { token, newPassword: NEW_PASSWORD });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(await s.t.gql.code(RESET, { token: 'made-up-token', newPassword: NEW_PASSWORD })).toBe(
      'BAD_USER_INPUT',
    );
    await s.t.gql.ok(LOGIN, { input: { email: owner.email, password: STRONG_PASSWORD } });
  });

  it('a newer link retires older ones once used; a weak new password is refused and keeps the link usable', async () => {
    const owner = await signUpAgency(s.t.gql);
    await s.t.gql.ok(REQUEST, { email: owner.email });
    const first = tokenFromMail(await s.smtp.waitFor((m) => m.to.includes(owner.email)));
    await s.t.gql.ok(REQUEST, { email: owner.email });
    const second = tokenFromMail(
      await s.smtp.waitFor((m) => m.to.includes(owner.email) && tokenFromMail(m) !== first),
    );

    const [before] = await s.t.ownerQuery(
      `SELECT password_hash, password_changed_at FROM users WHERE id = $1`,
      [owner.userId],
    );
    for (const newPassword of ['short', 'password1234', owner.email]) {
      expect(await s.t.gql.code(RESET, { token: second, newPassword })).toBe('BAD_USER_INPUT');
    }
    const [after] = await s.t.ownerQuery(
      `SELECT password_hash, password_changed_at FROM users WHERE id = $1`,
      [owner.userId],
    );
    expect(after).toEqual(before);

    await s.t.gql.ok(RESET, { token: second, newPassword: NEW_PASSWORD });
    expect(await s.t.gql.code(RESET, { token: first, newPassword: 'another long passphrase here' })).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('limits reset mails per email and hour, still answering true', async () => {
    const owner = await signUpAgency(s.t.gql);
    for (let i = 0; i < 7; i++)
      expect(await s.t.gql.ok(REQUEST, { email: owner.email })).toEqual({ requestPasswordReset: true });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await count('password_reset_tokens WHERE user_id = $1', [owner.userId])).toBe(5);
  });

  it('rejects bad input with BAD_USER_INPUT and writes nothing', async () => {
    const owner = await signUpAgency(s.t.gql);
    const huge = 'x'.repeat(1_000_000);
    const tokens = await count('password_reset_tokens');
    for (const email of ['', 'not-an-email', `${huge}@example.com`, 42, null]) {
      expect(await s.t.gql.code(REQUEST, { email })).toBe('BAD_USER_INPUT');
    }
    for (const vars of [
      { token: '', newPassword: NEW_PASSWORD },
      { token: huge, newPassword: NEW_PASSWORD },
      { token: 'abc', newPassword: huge },
      { token: 5, newPassword: NEW_PASSWORD },
      { token: 'abc' },
    ]) {
      expect(await s.t.gql.code(RESET, vars)).toBe('BAD_USER_INPUT');
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await count('password_reset_tokens')).toBe(tokens);
    await s.t.gql.ok(LOGIN, { input: { email: owner.email, password: STRONG_PASSWORD } });
    expect(MEMBER_PASSWORD).toBeTruthy();
  });
});
