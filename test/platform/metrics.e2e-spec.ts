import { startTestApp, TestApp } from '../support/test-app';

const TOKEN = 'metrics-token-for-the-test-0123456789';

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is open and speaks the Prometheus text format', async () => {
    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(await res.text()).toMatch(/^# HELP caredesk_/m);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer metrics-token-for-the-test-0123456780'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token with another scheme', `Basic ${TOKEN}`],
    ['the token alone', TOKEN],
  ])('refuses %s: 401 with a challenge and no metrics', async (_label, authorization) => {
    const res = await fetch(`${t.baseUrl}/metrics`, {
      headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'A valid metrics token is required' },
    });
    expect(body).not.toContain('caredesk_');
  });

  it('answers the right bearer token (the scheme in any case)', async () => {
    for (const scheme of ['Bearer', 'bearer']) {
      const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `${scheme} ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^# HELP caredesk_/m);
    }
  });
});
