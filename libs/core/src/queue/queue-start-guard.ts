import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';

/** The parts of a bull queue the guard wraps; `setWorkerName` is bull's own (lib/worker.js). */
type GuardedQueue = Pick<Queue, 'name' | 'process' | 'close'> & {
  setWorkerName?: () => Promise<unknown>;
};

/**
 * Makes a queue safe to close while its processor is still starting (a worker closed right after it
 * booted, or shut down during start-up), which bull is not:
 *
 * - `queue.process(…)` starts processing through several Redis round trips and returns a promise that
 *   @nestjs/bull drops (BullExplorer calls it from onModuleInit). When close() overtakes that start,
 *   bull rejects it with `undefined` (its isRedisReady() rejects with the connection's last error, and
 *   a connection closed on purpose has none; OptimalBits/bull#2222, closed as won't-fix), so Node
 *   reports an unhandled rejection with no message, once per processed queue: jest's "thrown:
 *   undefined", four times for the worker's four queues. The same happens to the promise of
 *   setWorkerName(), which bull drops itself (there it becomes a TypeError reading `.message` of
 *   undefined). Here both are handled: once close() was called, such a failure is the expected end of
 *   a start that will never be needed (debug log); otherwise the queue really could not start, and it
 *   still rejects, now with an Error that names the queue.
 * - bull opens its blocking and subscriber connections lazily, on the way through that start; one
 *   opened after close() has listed the connections it ends stays open for good (a worker that no
 *   longer exits, a jest run that never finishes). They are opened as soon as processing is asked
 *   for, so close() always ends them.
 */
export function guardQueueStart(queue: GuardedQueue, logger: Logger): void {
  let closing = false;
  const close = queue.close.bind(queue);
  queue.close = (doNotWaitJobs?: boolean) => {
    closing = true;
    return close(doNotWaitJobs);
  };

  const settle =
    (step: string) =>
    (reason: unknown): void => {
      if (closing) {
        logger.debug(`queue ${queue.name}: closed while ${step} (${describe(reason)})`);
        return;
      }
      throw new Error(`queue ${queue.name}: failed while ${step}: ${describe(reason)}`, { cause: reason });
    };

  const setWorkerName = queue.setWorkerName;
  if (typeof setWorkerName === 'function') {
    queue.setWorkerName = () => setWorkerName.call(queue).catch(settle('naming its connections'));
  }

  const process = queue.process.bind(queue) as (...args: unknown[]) => Promise<void>;
  queue.process = ((...args: unknown[]) => {
    const started = process(...args).catch(settle('starting to process'));
    // Reading bull's lazy getters opens the connections now, so they are on the list close() ends.
    for (const connection of ['bclient', 'eclient']) Reflect.get(queue, connection);
    return started;
  }) as Queue['process'];
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'a Redis connection ended before it was ready' : String(reason);
}
