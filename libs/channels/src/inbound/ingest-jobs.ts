import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { QUEUES, requeueJobs } from '@caredesk/core';

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

  /** How long a wake flag outlives a job that never started (an add that was lost, a flushed queue). */
  static readonly WAKE_TTL_MS = 30_000;

  /**
   * Fresh rows: at most one waiting job per agency. An ingest job drains its agency's fresh PENDING
   * events (IngestService.processMany), not only the ones it names, so while one waits to start,
   * another adds nothing but Redis work and a transaction that finds its events gone: a wake flag per
   * agency (SET NX) is set by the add and cleared by the job as it starts (`clearWake`), before it
   * reads any event. Rows committed before a skipped add are therefore seen by the waiting job — the
   * flag was still set, so that job had not started reading yet. On bench/ingest this took the jobs
   * from ~6,500 to a few hundred for 40,000 events. A flag whose job never started expires after
   * WAKE_TTL_MS; whatever is left PENDING the sweeper enqueues after SWEEP_AFTER_SECONDS.
   * One bulk add, one job per agency per BATCH_SIZE events. Failures are logged, not thrown: the
   * rows are committed.
   */
  async enqueueNew(jobs: IngestJob[]): Promise<void> {
    if (jobs.length === 0) return;
    let woken: IngestJob[] = [];
    try {
      woken = await this.claimWakes(jobs);
      if (woken.length === 0) return;
      await this.queue.addBulk(
        batches(woken).map((data) => ({
          data,
          opts: IngestJobs.options(data.eventIds ? `batch:${data.eventId}` : data.eventId),
        })),
      );
    } catch (e) {
      this.logger.warn(
        `enqueue of ${jobs.length} ingest job(s) failed; the sweeper will retry: ${String(e)}`,
      );
      // A flag without its job would keep the next commits from waking the agency.
      await Promise.all(
        [...new Set(woken.map((j) => j.agencyId))].map((a) => this.clearWake(a).catch(() => undefined)),
      );
    }
  }

  /** Called by the ingest worker as a job starts, before it reads any event (see enqueueNew). */
  async clearWake(agencyId: string): Promise<void> {
    await this.queue.client.del(this.wakeKey(agencyId));
  }

  /** The jobs of the agencies whose wake flag this call set (one pipelined round trip). */
  private async claimWakes(jobs: IngestJob[]): Promise<IngestJob[]> {
    const agencies = [...new Set(jobs.map((j) => j.agencyId))];
    const pipeline = this.queue.client.pipeline();
    for (const a of agencies) pipeline.set(this.wakeKey(a), '1', 'PX', IngestJobs.WAKE_TTL_MS, 'NX');
    const results = (await pipeline.exec()) ?? [];
    const claimed = new Set<string>();
    results.forEach(([error, reply], i) => {
      if (error) throw error;
      if (reply === 'OK') claimed.add(agencies[i]);
    });
    return jobs.filter((j) => claimed.has(j.agencyId));
  }

  private wakeKey(agencyId: string): string {
    return this.queue.toKey(`wake:${agencyId}`);
  }

  /** Events that must run again (sweeper, admin retry); see requeueJobs. Returns how many jobs were added. */
  requeue(jobs: IngestJob[]): Promise<number> {
    return requeueJobs(
      this.queue,
      jobs.map((data) => ({ data, opts: { ...IngestJobs.options(data.eventId), jobId: data.eventId } })),
      (id, e) => this.logger.warn(`could not re-enqueue inbound event ${id}: ${String(e)}`),
    );
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
