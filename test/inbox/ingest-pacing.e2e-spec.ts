import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { Queue } from 'bull';
import Redis from 'ioredis';
import { InboundEventWriter, IntakePressure, Platform } from '@caredesk/channels';
import { Pipeline, startPipeline } from '../support/pipeline';
import {
  enqueue,
  installScriptedConnector,
  message,
  SCRIPTED_PLATFORM,
  storeEvent,
  Tenant,
  tenant,
} from './ingest.support';

/**
 * Ingest yields to webhook intake (IntakePressure, IngestPacer): the API flags intake busy in Redis
 * when a group commit gathers IntakePressure.BUSY_GROUP requests, and the worker (another Nest app,
 * its own IntakePressure) reads that flag and paces its batches — but never stops.
 */
describe('ingest yields to busy webhook intake', () => {
  let p: Pipeline;
  let a: Tenant;
  let account: string;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** The worker's view, read past its cache. */
  const workerSeesBusy = async () => {
    await sleep(IntakePressure.READ_EVERY_MS + 5);
    return p.worker!.app.get(IntakePressure).isBusy();
  };
  /** Lets any flag from before expire. */
  const quiet = () => sleep(IntakePressure.TTL_MS + 50);

  beforeAll(async () => {
    p = await startPipeline({
      INGEST_BATCH_SIZE: '5',
      INGEST_SHARE_UNDER_LOAD: '0.5',
      SWEEP_AFTER_SECONDS: '3600',
    });
    installScriptedConnector(p);
    a = await tenant(p);
    [{ external_account_id: account }] = await p.t.ownerQuery(
      `SELECT external_account_id FROM channels WHERE agency_id = $1 AND id = $2`,
      [a.agencyId, a.channelId],
    );
  });
  afterAll(() => p?.close());

  /** `n` deliveries handed to the API's writer in one tick: one group commit of n requests. */
  const commitTogether = (n: number) => {
    const writer = p.t.app.get(InboundEventWriter);
    return Promise.all(
      Array.from({ length: n }, () =>
        writer.write([
          {
            platform: SCRIPTED_PLATFORM as Platform,
            externalAccountId: account,
            eventKey: `evt-${randomUUID()}`,
            payload: { events: [message()] },
          },
        ]),
      ),
    );
  };

  it('flags intake busy for the workers when a commit gathers 8 requests, for 300 ms, and not for 7', async () => {
    await quiet();
    const seven = await commitTogether(IntakePressure.BUSY_GROUP - 1);
    expect(seven.every((r) => r.stored === 1)).toBe(true);
    expect(await workerSeesBusy()).toBe(false);

    await commitTogether(IntakePressure.BUSY_GROUP);
    expect(await workerSeesBusy()).toBe(true);

    await quiet();
    expect(await workerSeesBusy()).toBe(false);
    await p.waitForEvents({ agencyId: a.agencyId });
  });

  it('goes on ingesting while intake stays busy (a share, not a pause), one batch at a time', async () => {
    await quiet();
    const api = p.t.app.get(IntakePressure);
    // Intake under load for the whole test: the API keeps the flag up.
    api.noteCommitGroup(IntakePressure.BUSY_GROUP);
    const keepBusy = setInterval(() => api.noteCommitGroup(IntakePressure.BUSY_GROUP), 20);
    const seen = jest.spyOn(p.worker!.app.get(IntakePressure), 'isBusy');
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push(await storeEvent(p, a, [message({ customerId: `pace-${i}` })]));
      await enqueue(p, a, ids);
      await p.waitForEvents({ agencyId: a.agencyId, timeoutMs: 30_000 });
      expect(await workerSeesBusy()).toBe(true); // still busy: everything went through while it was
      expect(
        await p.t.count(`inbound_events WHERE agency_id = $1 AND id = ANY($2) AND status = 'PROCESSED'`, [
          a.agencyId,
          ids,
        ]),
      ).toBe(30);
      // The pacer asked, and was told intake is busy.
      expect(seen).toHaveBeenCalled();
      expect(await Promise.all(seen.mock.results.map((r) => r.value))).toContain(true);
    } finally {
      clearInterval(keepBusy);
      seen.mockRestore();
    }
  });

  it('takes a Redis that does not answer for "not busy" within READ_TIMEOUT_MS: ingest is never held up', async () => {
    // A server on 127.0.0.1 that accepts the connection and never says a word.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const client = new Redis({
      host: '127.0.0.1',
      port: (silent.address() as net.AddressInfo).port,
      lazyConnect: false,
    });
    const pressure = new IntakePressure({ client, toKey: (k: string) => `silent:${k}` } as unknown as Queue);
    try {
      const started = Date.now();
      expect(await pressure.isBusy()).toBe(false);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(IntakePressure.READ_TIMEOUT_MS - 5);
      expect(took).toBeLessThan(IntakePressure.READ_TIMEOUT_MS + 1000);
    } finally {
      client.disconnect();
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  });
});
