import { MetricsServer } from '@caredesk/core';
import { freePort } from '../support/ports';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker, TestWorker } from '../support/test-worker';

const TOKEN = 'worker-metrics-token-0123456789';

describe("the worker's /metrics (WORKER_METRICS_PORT)", () => {
  let t: TestApp;
  let worker: TestWorker;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ WORKER_METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('serves its counters, the analysis fallbacks among them, to the bearer token', async () => {
    expect(worker.app.get(MetricsServer).port).toBe(port);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(await res.text()).toMatch(/^# HELP caredesk_analysis_fallback_total /m);
  });

  it('refuses a scrape without the token: 401, a challenge, no metric', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const body = await res.text();
    expect(JSON.parse(body).error.code).toBe('UNAUTHENTICATED');
    expect(body).not.toContain('caredesk_');
  });

  it.each([
    ['GET', '/'],
    ['GET', '/health'],
    ['POST', '/metrics'],
  ])('answers %s %s with a coded 404', async (method, path) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe("the worker's /metrics with WORKER_METRICS_PORT=0", () => {
  let t: TestApp;
  let worker: TestWorker;
  beforeAll(async () => {
    t = await startTestApp({ WORKER_METRICS_PORT: '0' });
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('listens nowhere', () => {
    expect(worker.app.get(MetricsServer).port).toBeNull();
  });
});
