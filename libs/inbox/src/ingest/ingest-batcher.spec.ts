import { AppConfig } from '@caredesk/core';
import { IngestBatcher } from './ingest-batcher';
import { IngestService } from './ingest.service';

/** The batcher's scheduling, against a stand-in for IngestService.processMany whose runs the test ends. */
describe('IngestBatcher', () => {
  interface Run {
    agencyId: string;
    ids: string[];
    finish(retry?: Map<string, unknown>): void;
  }
  let runs: Run[];
  const batcher = (parallel: number, batchSize = 1000) => {
    runs = [];
    const ingest = {
      processMany: (agencyId: string, ids: string[]) =>
        new Promise<Map<string, unknown>>((resolve) =>
          runs.push({ agencyId, ids, finish: (retry = new Map()) => resolve(retry) }),
        ),
    } as unknown as IngestService;
    const config = { pipeline: { ingestParallelBatches: parallel, ingestBatchSize: batchSize } } as AppConfig;
    return new IngestBatcher(ingest, config);
  };
  const tick = (ms = IngestBatcher.MAX_WAIT_MS + 5) => new Promise((r) => setTimeout(r, ms));

  it('runs one agency at a time when INGEST_PARALLEL_BATCHES is 1, the others in arrival order', async () => {
    const b = batcher(1);
    const done: string[] = [];
    void b.add('a', ['a1']).then(() => done.push('a'));
    void b.add('b', ['b1']).then(() => done.push('b'));
    void b.add('c', ['c1']).then(() => done.push('c'));
    await tick();
    expect(runs.map((r) => r.agencyId)).toEqual(['a']);
    runs[0].finish();
    await tick(1);
    expect(runs.map((r) => r.agencyId)).toEqual(['a', 'b']);
    runs[1].finish();
    await tick(1);
    runs[2].finish();
    await tick(1);
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('runs different agencies side by side up to the limit', async () => {
    const b = batcher(2);
    void b.add('a', ['a1']);
    void b.add('b', ['b1']);
    void b.add('c', ['c1']);
    await tick();
    expect(runs.map((r) => r.agencyId)).toEqual(['a', 'b']);
    runs[1].finish();
    await tick(1);
    expect(runs.map((r) => r.agencyId)).toEqual(['a', 'b', 'c']);
  });

  it("gathers an agency's jobs that arrive while its run goes on into one run after it", async () => {
    const b = batcher(4);
    void b.add('a', ['a1']);
    await tick();
    void b.add('a', ['a2']);
    void b.add('a', ['a3', 'a2']);
    await tick();
    expect(runs).toHaveLength(1);
    runs[0].finish();
    await tick(1);
    expect(runs.map((r) => r.ids)).toEqual([['a1'], ['a2', 'a3']]);
  });

  it('starts at once, without waiting for company, when a batch is full', async () => {
    const b = batcher(1, 3);
    void b.add('a', ['a1', 'a2', 'a3']);
    await Promise.resolve();
    expect(runs).toHaveLength(1);
  });

  it('fails only the jobs whose own events must be retried', async () => {
    const b = batcher(1);
    const good = b.add('a', ['a1']);
    const bad = b.add('a', ['a2']);
    await tick();
    runs[0].finish(new Map([['a2', new Error('unreadable')]]));
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('unreadable');
  });
});
