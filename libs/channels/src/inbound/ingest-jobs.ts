import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { QUEUES } from '@caredesk/core';

export interface IngestJob {
  agencyId: string;
  /** The event; for a batch job, its first event. */
  eventId: string;
  /** A batch job: events of this agency applied together (see IngestJobs.enqueueNew). */
  eventIds?: string[];
}

/**
 * The one place that puts inbound_events on the ingest queue. The job id is the event id, so bull
 * drops a second add of a job that is still waiting or running: the writer, the sweeper and an
 * admin's retry can all enqueue the same event without it running twice at once. Completed jobs are
 * removed (50,000 events a run must not pile up in Redis); failed ones are kept for inspection and
 * removed by `requeue` when the event is tried again.
 */
@Injectable()
export class IngestJobs {
  private readonly logger = new Logger(IngestJobs.name);

  constructor(@InjectQueue(QUEUES.INGEST) private readonly queue: Queue<IngestJob>) {}

  /**
   * Bull attempts per job; equal to the ingest worker's INGEST_MAX_ATTEMPTS (libs/inbox, which this
   * library cannot import), which marks the event FAILED on the last one.
   */
  static readonly ATTEMPTS = 5;

  /** Events per batch job. */
  static readonly BATCH_SIZE = 100;

  static options(eventId: string): JobOptions {
    return {
      jobId: eventId,
      attempts: IngestJobs.ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: false,
    };
  }

  /**
   * Fresh rows: one bulk add, one job per agency per BATCH_SIZE events — the ingest worker applies a
   * batch in one transaction, and one job instead of dozens spares Redis and the worker most of the
   * queue's per-job cost. Failures are logged, not thrown: the rows are committed, and the
   * sweeper enqueues what is still PENDING after SWEEP_AFTER_SECONDS.
   */
  async enqueueNew(jobs: IngestJob[]): Promise<void> {
    if (jobs.length === 0) return;
    try {
      await this.queue.addBulk(
        batches(jobs).map((data) => ({
          data,
          opts: IngestJobs.options(data.eventIds ? `batch:${data.eventId}` : data.eventId),
        })),
      );
    } catch (e) {
      this.logger.warn(
        `enqueue of ${jobs.length} ingest job(s) failed; the sweeper will retry: ${String(e)}`,
      );
    }
  }

  /**
   * Events that must run again (sweeper, admin retry): a job that bull still holds as completed or
   * failed under the same id would swallow the add, so it is removed first. A waiting, delayed or
   * active job is left alone — it will run. Returns how many jobs were added.
   */
  async requeue(jobs: IngestJob[]): Promise<number> {
    let added = 0;
    for (const data of jobs) {
      try {
        const existing = await this.queue.getJob(data.eventId);
        if (existing) {
          const state = await existing.getState();
          if (state !== 'completed' && state !== 'failed') continue;
          await existing.remove();
        }
        await this.queue.add(data, IngestJobs.options(data.eventId));
        added++;
      } catch (e) {
        // One job bull will not let go of (still locked) must not stop the others; the next sweep retries.
        this.logger.warn(`could not re-enqueue inbound event ${data.eventId}: ${String(e)}`);
      }
    }
    return added;
  }
}

/** One agency's new events in jobs of at most BATCH_SIZE; a single event stays a plain job. */
function batches(jobs: IngestJob[]): IngestJob[] {
  const byAgency = new Map<string, string[]>();
  for (const j of jobs) byAgency.set(j.agencyId, [...(byAgency.get(j.agencyId) ?? []), j.eventId]);
  const out: IngestJob[] = [];
  for (const [agencyId, ids] of byAgency) {
    for (let i = 0; i < ids.length; i += IngestJobs.BATCH_SIZE) {
      const chunk = ids.slice(i, i + IngestJobs.BATCH_SIZE);
      out.push(
        chunk.length === 1
          ? { agencyId, eventId: chunk[0] }
          : { agencyId, eventId: chunk[0], eventIds: chunk },
      );
    }
  }
  return out;
}
