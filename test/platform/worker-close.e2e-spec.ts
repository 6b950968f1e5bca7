import { eventually } from '../support/eventually';
import { startSlowRedis, SlowRedis } from '../support/slow-redis';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker } from '../support/test-worker';

/**
 * A worker closed right after it booted, while its queues are still starting: with Redis slow to
 * answer a new connection, bull rejected each queue's start with `undefined` (jest: "thrown:
 * undefined", once per queue) and left connections open after close. An unhandled rejection fails
 * the test it happens in, so each case waits until every connection is gone before it ends.
 */
describe('closing the worker while its queues start', () => {
  let t: TestApp;
  let redis: SlowRedis | undefined;
  let realRedisUrl: string | undefined;
  beforeAll(async () => {
    t = await startTestApp();
    realRedisUrl = process.env.REDIS_URL;
  });
  afterEach(async () => {
    if (realRedisUrl === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = realRedisUrl;
    await redis?.close();
    redis = undefined;
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([0, 20, 200])(
    'closes cleanly, every connection ended, when Redis answers a new connection %i ms late',
    async (delayMs) => {
      redis = await startSlowRedis(delayMs);
      process.env.REDIS_URL = redis.url;
      const worker = await startTestWorker();
      expect(redis.openConnections()).toBeGreaterThan(0);
      await worker.close();
      const proxy = redis;
      await eventually(async () => (proxy.openConnections() === 0 ? true : undefined), 5_000);
      // Late rejections (a start that fails after close resolved) would land in this wait.
      await new Promise((r) => setTimeout(r, delayMs + 600));
      expect(proxy.openConnections()).toBe(0);
    },
  );
});
