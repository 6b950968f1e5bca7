import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminUrl, runPrefix, TEST_APP_PASSWORD, templateName } from './database-names';

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ name: string; ownerUrl: string }> {
  // Jest re-evaluates modules for each file, so a module counter would repeat; random bytes do not.
  const name = `${runPrefix()}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    // Several files cloning the template at the same moment can collide on its lock; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`);
        break;
      } catch (e) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return { name, ownerUrl: adminUrl(name) };
}

export const TEST_ENCRYPTION_KEY = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * Points the process environment at a test database and a private queue prefix, with test secrets.
 * The app reads its configuration from process.env, exactly as in production.
 */
export function setTestEnv(ownerUrl: string, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: ownerUrl,
    DATABASE_APP_PASSWORD: TEST_APP_PASSWORD,
    DATABASE_POOL_SIZE: '5',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    // Under the run's prefix, so the global teardown removes this file's queue keys with the run.
    QUEUE_PREFIX: `${runPrefix()}_q${process.pid}${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'silent',
    // Test files log in many times from 127.0.0.1; throttling has its own test with low limits.
    THROTTLE_LOGIN_PER_EMAIL: '10000',
    THROTTLE_LOGIN_PER_IP: '10000',
    // In-process workers of parallel test files would share one port; the metrics test sets its own.
    WORKER_METRICS_PORT: '0',
    // Fixtures name real CDN hosts (fbcdn.net, …) that tests must not try to reach; the copy test
    // names its own local server.
    ATTACHMENT_COPY_HOSTS: '',
    ...extra,
  });
}
