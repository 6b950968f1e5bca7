import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { guardQueueStart } from './queue-start-guard';

/**
 * The guard's decisions, on a stand-in for bull's queue whose start fails the way bull's does (with
 * `undefined`). That bull really fails so when closed mid-start is shown by
 * test/platform/worker-close.e2e-spec.ts, against Redis.
 */
function queueWhoseStartFails(reason: unknown) {
  const opened: string[] = [];
  const queue = {
    name: 'mail',
    process: (() => Promise.reject(reason)) as unknown as Queue['process'],
    close: (async () => undefined) as Queue['close'],
    setWorkerName: () => Promise.reject(reason),
  };
  for (const connection of ['bclient', 'eclient']) {
    Object.defineProperty(queue, connection, { get: () => opened.push(connection) });
  }
  return { queue, opened };
}

const debug = jest.fn();
const logger = { debug } as unknown as Logger;
beforeEach(() => debug.mockClear());

describe('guardQueueStart', () => {
  it('rejects with an Error naming the queue when a start fails while the queue is open', async () => {
    const { queue } = queueWhoseStartFails(undefined);
    guardQueueStart(queue, logger);
    const started = queue.process(async () => undefined);
    await expect(started).rejects.toThrow(
      'queue mail: failed while starting to process: a Redis connection ended before it was ready',
    );
    await expect(queue.setWorkerName()).rejects.toThrow(
      'queue mail: failed while naming its connections: a Redis connection ended before it was ready',
    );
  });

  it('keeps the reason of a start that failed with an Error', async () => {
    const { queue } = queueWhoseStartFails(new Error('Connection is closed.'));
    guardQueueStart(queue, logger);
    await expect(queue.process(async () => undefined)).rejects.toThrow(
      'queue mail: failed while starting to process: Connection is closed.',
    );
  });

  it('settles a start that failed because the queue was closed, without a rejection', async () => {
    const { queue } = queueWhoseStartFails(undefined);
    guardQueueStart(queue, logger);
    const started = queue.process(async () => undefined);
    await queue.close();
    await expect(started).resolves.toBeUndefined();
    await expect(queue.setWorkerName()).resolves.toBeUndefined();
    expect(debug.mock.calls).toEqual([
      ['queue mail: closed while starting to process (a Redis connection ended before it was ready)'],
      ['queue mail: closed while naming its connections (a Redis connection ended before it was ready)'],
    ]);
  });

  it('opens the blocking and subscriber connections when processing is asked for', async () => {
    const { queue, opened } = queueWhoseStartFails(undefined);
    guardQueueStart(queue, logger);
    expect(opened).toEqual([]);
    const started = queue.process(async () => undefined);
    expect(opened).toEqual(['bclient', 'eclient']);
    await queue.close();
    await started;
  });
});
