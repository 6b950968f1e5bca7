import Redis from 'ioredis';
import { signUpAgency, STRONG_PASSWORD } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken } }`;

/**
 * Every request here comes from 127.0.0.1, so the per-IP limit is set above the per-email one: the
 * per-email limit is then proven by another email still passing from the same IP.
 */
describe('login throttling', () => {
  let t: TestApp;
  let prefix: string;
  beforeAll(async () => {
    t = await startTestApp({
      THROTTLE_LOGIN_PER_EMAIL: '3',
      THROTTLE_LOGIN_PER_IP: '6',
      THROTTLE_WINDOW_SECONDS: '60',
    });
    prefix = process.env.QUEUE_PREFIX!;
  });
  afterAll(() => t.close());

  it('limits per email, then per IP, with RATE_LIMITED; counters live in Redis under this deployment’s prefix', async () => {
    const a = await signUpAgency(t.gql);
    const b = await signUpAgency(t.gql);
    for (let i = 0; i < 3; i++) {
      const r = await t.gql.request(LOGIN, { input: { email: a.email, password: 'wrong password here' } });
      expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    // Even the right password is refused now, and the case of the email does not matter.
    expect(
      await t.gql.code(LOGIN, { input: { email: a.email.toUpperCase(), password: STRONG_PASSWORD } }),
    ).toBe('RATE_LIMITED');
    // Another email from the same IP is still let through (4 + 1 = 5 requests from this IP)…
    expect(
      (await t.gql.ok(LOGIN, { input: { email: b.email, password: STRONG_PASSWORD } })).login.accessToken,
    ).toBeTruthy();
    // …until the per-IP limit (6) is used up, whichever emails are tried.
    await t.gql.request(LOGIN, { input: { email: 'someone@example.com', password: 'wrong password here' } });
    expect(
      await t.gql.code(LOGIN, { input: { email: 'fresh@example.com', password: 'wrong password here' } }),
    ).toBe('RATE_LIMITED');

    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`*${prefix}:throttle:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.some((k) => k.includes(a.email))).toBe(false);
    } finally {
      redis.disconnect();
    }
  });

  it('limits refreshToken per IP as well', async () => {
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 7; i++) codes.push(await t.gql.code(REFRESH, { token: 'not-a-token' }));
    expect(codes.slice(0, 6)).toEqual(Array(6).fill('UNAUTHENTICATED'));
    expect(codes[6]).toBe('RATE_LIMITED');
  });
});
