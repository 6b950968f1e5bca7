import { ChildProcess, spawn } from 'node:child_process';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import Redis from 'ioredis';
import { QUEUES } from '@caredesk/core';
import { Pipeline, startPipeline } from '../support/pipeline';
import { message, SCRIPTED_PLATFORM, Tenant, tenant } from './ingest.support';

/**
 * Nothing is lost and nothing doubles when the worker process dies (`kill -9`) or the queue's Redis
 * keys vanish mid-run (issue 3): the sweeper re-enqueues what is still PENDING, bull re-runs jobs
 * whose worker died, and ingest is idempotent. The workers here are real child processes running
 * apps/worker/src/main.ts, with the scripted connector preloaded.
 */
describe('ingest survives a killed worker and a lost queue', () => {
  let p: Pipeline;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // Sweep every second for events pending over 2 s, so lost jobs come back within the test.
    p = await startPipeline({ SWEEP_INTERVAL_SECONDS: '1', SWEEP_AFTER_SECONDS: '2' }, { worker: false });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await p?.close();
  });

  function startWorkerProcess(): ChildProcess {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        '-r',
        './test/inbox/scripted-connector.preload.ts',
        'apps/worker/src/main.ts',
      ],
      // process.env is this file's test environment (database, QUEUE_PREFIX, SWEEP_*). Batches of 50:
      // the kill must land mid-run, and with batches of 1,000 a fast worker applies the 2,000 events
      // in two commits, between two polls of the test.
      {
        env: {
          ...process.env,
          TS_NODE_PROJECT: 'tsconfig.json',
          LOG_LEVEL: 'silent',
          INGEST_BATCH_SIZE: '50',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.push(child);
    return child;
  }

  async function kill9(child: ChildProcess): Promise<void> {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /**
   * Stores `n` DM deliveries (numbered from `from`) from `customers` customers (so threads are
   * contended) and enqueues them, unless `enqueue` is false (their jobs were lost).
   */
  async function storeAndEnqueue(
    t: Tenant,
    n: number,
    customers: number,
    tag: string,
    { from = 0, enqueue = true } = {},
  ): Promise<void> {
    const rows = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const m = message({ customerId: `${tag}-c${i % customers}`, externalId: `${tag}-m${i}` });
      return { key: `${tag}-e${i}`, payload: JSON.stringify({ events: [m] }) };
    });
    const ids = await p.t.ownerQuery<{ id: string }>(
      `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload)
       SELECT $1, gen_random_uuid(), $2, $3, $4, k, pl::jsonb FROM unnest($5::text[], $6::text[]) AS u(k, pl)
       RETURNING id`,
      [
        t.agencyId,
        t.brandId,
        t.channelId,
        SCRIPTED_PLATFORM,
        rows.map((r) => r.key),
        rows.map((r) => r.payload),
      ],
    );
    if (!enqueue) return;
    const queue = p.t.app.get<Queue>(getQueueToken(QUEUES.INGEST));
    await queue.addBulk(
      ids.map(({ id }) => ({
        data: { agencyId: t.agencyId, eventId: id },
        opts: { jobId: id, removeOnComplete: true },
      })),
    );
  }

  const processed = (t: Tenant) =>
    p.t.count(`inbound_events WHERE agency_id = $1 AND status = 'PROCESSED'`, [t.agencyId]);

  async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function expectExactlyOnce(t: Tenant, n: number, customers: number): Promise<void> {
    expect(await processed(t)).toBe(n);
    expect(await p.t.count(`messages WHERE agency_id = $1`, [t.agencyId])).toBe(n);
    const [{ distinct }] = await p.t.ownerQuery(
      `SELECT count(DISTINCT external_id)::int AS distinct FROM messages WHERE agency_id = $1`,
      [t.agencyId],
    );
    expect(distinct).toBe(n);
    // Contended threads still make one conversation and one contact per customer.
    expect(await p.t.count(`conversations WHERE agency_id = $1`, [t.agencyId])).toBe(customers);
    expect(await p.t.count(`contacts WHERE agency_id = $1`, [t.agencyId])).toBe(customers);
  }

  it('loses nothing when the queue keys are deleted mid-run (the sweeper re-enqueues)', async () => {
    const t = await tenant(p);
    await storeAndEnqueue(t, 600, 50, 'flush');
    const worker = startWorkerProcess();
    await waitUntil(async () => (await processed(t)) >= 100, 120_000, 'the first 100 events');

    // This file's queue only: other suites share the Redis server. Jobs, wake flags: all gone.
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${process.env.QUEUE_PREFIX}:${QUEUES.INGEST}:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    // Committed while the queue was gone: their jobs never made it. A job drains its agency, so the
    // first 600 may all be done by now; these 400 have no job — the sweeper enqueues them (or a
    // drain still running takes them along).
    await storeAndEnqueue(t, 400, 50, 'flush', { from: 600, enqueue: false });
    expect(await processed(t)).toBeLessThan(1000);

    await p.waitForEvents({ agencyId: t.agencyId, timeoutMs: 120_000 });
    await expectExactlyOnce(t, 1000, 50);

    // Jobs the sweeper added for events a drain had already taken may still wait; one starting now
    // would drain the agency and take the next 300 along. Wait until the queue has been idle across
    // a sweep interval, so that nothing runs for this agency.
    const queue = p.t.app.get<Queue>(getQueueToken(QUEUES.INGEST));
    const idle = async () => {
      const c = await queue.getJobCounts();
      return c.waiting + c.active + c.delayed === 0;
    };
    const idleAcrossASweep = async () => {
      if (!(await idle())) return false;
      await new Promise((r) => setTimeout(r, 1200));
      return idle();
    };
    await waitUntil(idleAcrossASweep, 60_000, 'an idle ingest queue');
    // Now nothing runs for this agency (its drain ended on a batch that was not full), and these
    // 300 have no job either: only the sweeper can find them, once they are SWEEP_AFTER_SECONDS old.
    await storeAndEnqueue(t, 300, 50, 'flush', { from: 1000, enqueue: false });
    await new Promise((r) => setTimeout(r, 500));
    expect(await processed(t)).toBe(1000);
    await p.waitForEvents({ agencyId: t.agencyId, timeoutMs: 60_000 });
    await expectExactlyOnce(t, 1300, 50);
    await kill9(worker);
  }, 300_000);

  it('processes 2,000 events exactly once across a kill -9 of the worker and a restart', async () => {
    const t = await tenant(p);
    await storeAndEnqueue(t, 2000, 200, 'kill');
    const first = startWorkerProcess();
    await waitUntil(async () => (await processed(t)) >= 300, 120_000, 'the first 300 events');
    await kill9(first);
    expect(await processed(t)).toBeLessThan(2000);

    startWorkerProcess();
    // Jobs the dead worker held come back through bull's stalled-job check or the sweeper.
    await p.waitForEvents({ agencyId: t.agencyId, timeoutMs: 240_000 });
    await expectExactlyOnce(t, 2000, 200);
  }, 400_000);
});
