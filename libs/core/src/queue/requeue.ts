import type { JobOptions, Queue } from 'bull';

/** A job that must run again, under the fixed id that keeps it single. */
export interface RequeuedJob<T> {
  data: T;
  opts: JobOptions & { jobId: string };
}

/**
 * Adds jobs that must run again (a sweeper, an admin retry). A job that bull still holds as completed
 * or failed under the same id would swallow the add, so it is removed first; a waiting, delayed or
 * active one is left alone — it will run. One job bull will not let go of (still locked) does not
 * stop the others: it is reported to `onError` and left for the next sweep. Returns how many were added.
 */
export async function requeueJobs<T>(
  queue: Queue<T>,
  jobs: RequeuedJob<T>[],
  onError: (jobId: string, error: unknown) => void,
): Promise<number> {
  let added = 0;
  for (const { data, opts } of jobs) {
    try {
      const existing = await queue.getJob(opts.jobId);
      if (existing) {
        const state = await existing.getState();
        if (state !== 'completed' && state !== 'failed') continue;
        await existing.remove();
      }
      await queue.add(data, opts);
      added++;
    } catch (e) {
      onError(opts.jobId, e);
    }
  }
  return added;
}
