import { AppConfig } from '@caredesk/core';
import { IngestPacer, IntakeLoad } from './ingest-pacer';
import { ingestPacerMetrics } from './ingest-pacer.metrics';

/** The pacer's schedule, against a stand-in for IntakePressure whose answer the test sets. */
describe('IngestPacer', () => {
  let busy: boolean;
  let asked: number;
  const intake: IntakeLoad = {
    isBusy: () => {
      asked++;
      return Promise.resolve(busy);
    },
  };
  const pacer = (share: number, maxDeferSeconds = 30) =>
    new IngestPacer(intake, {
      pipeline: {
        ingestShareUnderLoad: share,
        ingestBatchSize: 1000,
        ingestMaxDeferSeconds: maxDeferSeconds,
      },
    } as AppConfig);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** A batch that records when it started and ended, and takes `ms`. */
  const log: { name: string; at: 'start' | 'end'; t: number }[] = [];
  const batch = (name: string, ms: number) => async () => {
    log.push({ name, at: 'start', t: Date.now() });
    await sleep(ms);
    log.push({ name, at: 'end', t: Date.now() });
    return name;
  };
  const when = (name: string, at: 'start' | 'end') => log.find((e) => e.name === name && e.at === at)!.t;

  beforeEach(() => {
    busy = false;
    asked = 0;
    log.length = 0;
  });

  it('runs batches side by side and back to back while intake is quiet', async () => {
    const p = pacer(0.25);
    await p.run(batch('first', 30));
    const results = await Promise.all([p.run(batch('a', 30)), p.run(batch('b', 30))]);
    expect(results).toEqual(['a', 'b']);
    // b started before a ended, and a right after first.
    expect(when('b', 'start')).toBeLessThan(when('a', 'end'));
    expect(when('a', 'start') - when('first', 'end')).toBeLessThan(80);
  });

  const metric = async (
    m: { get(): Promise<{ values: { value: number; labels: object }[] }> },
    pace?: string,
  ) => (await m.get()).values.find((v) => !pace || (v.labels as { pace?: string }).pace === pace)?.value ?? 0;

  it('while intake is busy, runs one batch at a time and rests (1 / share - 1) times the last batch', async () => {
    const p = pacer(0.5);
    await p.run(batch('first', 60));
    busy = true;
    const yielding = await metric(ingestPacerMetrics.batches, 'yielding');
    const rested = await metric(ingestPacerMetrics.restSeconds);
    await Promise.all([p.run(batch('a', 40)), p.run(batch('b', 10))]);
    // Counted on the worker's /metrics: two batches that yielded, and at least the first's 60 ms rest.
    expect((await metric(ingestPacerMetrics.batches, 'yielding')) - yielding).toBe(2);
    expect((await metric(ingestPacerMetrics.restSeconds)) - rested).toBeGreaterThanOrEqual(0.055);
    const [first, second] = ['a', 'b'].sort((x, y) => when(x, 'start') - when(y, 'start'));
    // Share 0.5: a rest as long as the batch before, and never two at once.
    expect(when(first, 'start') - when('first', 'end')).toBeGreaterThanOrEqual(55);
    expect(when(second, 'start')).toBeGreaterThanOrEqual(when(first, 'end'));
    const firstMs = when(first, 'end') - when(first, 'start');
    expect(when(second, 'start') - when(first, 'end')).toBeGreaterThanOrEqual(firstMs - 5);
  });

  it('stops resting as soon as intake goes quiet', async () => {
    const p = pacer(0.05); // a 19× rest: 100 ms → 1.9 s
    await p.run(batch('first', 100));
    busy = true;
    const next = p.run(batch('next', 1));
    await sleep(150);
    expect(log.some((e) => e.name === 'next')).toBe(false);
    busy = false;
    const quietAt = Date.now();
    await next;
    // Within a poll of going quiet, not after the 1.9 s rest.
    expect(when('next', 'start') - quietAt).toBeLessThan(IngestPacer.POLL_MS + 150);
  });

  it('a batch that fails still counts, and its error reaches the caller', async () => {
    const p = pacer(0.5);
    busy = true;
    let failedAt = 0;
    await expect(
      p.run(async () => {
        await sleep(40);
        failedAt = Date.now();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await p.run(batch('after', 1));
    // Share 0.5: a rest as long as the failed batch (≥ 40 ms) after it ended.
    expect(when('after', 'start') - failedAt).toBeGreaterThanOrEqual(38);
  });

  it('hands a batch INGEST_BATCH_SIZE events while intake is quiet and BUSY_BATCH_SIZE while it is busy', async () => {
    const p = pacer(0.5);
    expect(await p.run(async (limit) => limit)).toBe(1000);
    busy = true;
    expect(await p.run(async (limit) => limit)).toBe(IngestPacer.BUSY_BATCH_SIZE);
    busy = false;
    expect(await p.run(async (limit) => limit)).toBe(1000);
  });

  it('stops resting once intake has been busy INGEST_MAX_DEFER_SECONDS without a break, until it is quiet', async () => {
    const p = pacer(0.05, 1);
    busy = true;
    const t0 = Date.now();
    await p.run(batch('first', 30)); // intake seen busy from t0 on
    // Within the bound: a 19× rest (~570 ms), with the busy batch size.
    let limit = 0;
    await p.run(async (l) => ((limit = l), batch('second', 1)()));
    expect(when('second', 'start') - when('first', 'end')).toBeGreaterThanOrEqual(540);
    expect(limit).toBe(IngestPacer.BUSY_BATCH_SIZE);
    // Past the bound (1 s after t0): no rest, and full batches.
    await sleep(Math.max(0, t0 + 1100 - Date.now()));
    await p.run(batch('slow', 30));
    const overdue = await metric(ingestPacerMetrics.batches, 'overdue');
    await p.run(async (l) => ((limit = l), batch('third', 1)()));
    expect((await metric(ingestPacerMetrics.batches, 'overdue')) - overdue).toBe(1);
    expect(when('third', 'start') - when('slow', 'end')).toBeLessThan(300); // a rest would be ~570 ms
    expect(limit).toBe(1000);
    // A quiet moment starts the bound again.
    busy = false;
    await p.run(batch('quiet', 30));
    busy = true;
    await p.run(async (l) => ((limit = l), batch('fourth', 1)()));
    expect(when('fourth', 'start') - when('quiet', 'end')).toBeGreaterThanOrEqual(540);
    expect(limit).toBe(IngestPacer.BUSY_BATCH_SIZE);
  });

  it('with a share of 1 never asks about intake', async () => {
    const p = pacer(1);
    busy = true;
    await Promise.all([p.run(batch('a', 10)), p.run(batch('b', 10))]);
    expect(asked).toBe(0);
    expect(when('b', 'start')).toBeLessThan(when('a', 'end'));
  });
});
