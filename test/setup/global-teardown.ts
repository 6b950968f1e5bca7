import Redis from 'ioredis';
import { Client } from 'pg';
import { adminUrl, runPrefix } from '../support/database-names';

/** Drops the template and every per-file database of this run, and the run's queue keys in Redis. */
export default async function globalTeardown(): Promise<void> {
  await dropQueueKeys();
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${runPrefix()}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Every file's QUEUE_PREFIX starts with the run prefix (test-env.ts): jobs a test left waiting go too. */
async function dropQueueKeys(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${runPrefix()}_q*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
