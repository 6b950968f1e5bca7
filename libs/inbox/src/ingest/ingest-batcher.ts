import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { IngestService } from './ingest.service';

interface Waiter {
  eventIds: string[];
  resolve(): void;
  reject(error: unknown): void;
}

interface Pending {
  waiters: Waiter[];
  size: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Gathers the events of ingest jobs running at the same time into one run per agency
 * (IngestService.processMany, which drains the agency batch by batch). A job waits at most
 * MAX_WAIT_MS for company; a run starts as soon as it holds a batch's worth of events.
 *
 * One run per agency at a time: jobs that arrive while the agency's run goes on wait for it and then
 * go together (that run has usually taken their events along already; running them at once would
 * cost a transaction each to find nothing). And at most INGEST_PARALLEL_BATCHES runs at a time in
 * this process, the other agencies waiting their turn in arrival order: on bench/ingest (2 cores
 * shared with the API and PostgreSQL) one at a time with batches of 1,000 processed ~4,000 events/s
 * where 2 or more concurrent runs of 250 did ~3,300, and left intake more CPU (accept p99 23–28 ms
 * instead of 34–45). More worker processes scale it out. Each job settles with its own events: it
 * fails (and bull retries it) only when one of them must be retried.
 */
@Injectable()
export class IngestBatcher {
  static readonly MAX_WAIT_MS = 5;

  private readonly pending = new Map<string, Pending>();
  /** Agencies whose run goes on now. */
  private readonly running = new Set<string>();
  /** Agencies ready to run, waiting for a free slot (a Set keeps arrival order). */
  private readonly queued = new Set<string>();

  constructor(
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  add(agencyId: string, eventIds: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let p = this.pending.get(agencyId);
      if (!p) {
        p = { waiters: [], size: 0, timer: null };
        this.pending.set(agencyId, p);
      }
      p.waiters.push({ eventIds, resolve, reject });
      p.size += eventIds.length;
      // While the agency's run goes on, its end starts these.
      if (this.running.has(agencyId) || this.queued.has(agencyId)) return;
      if (p.size >= this.config.pipeline.ingestBatchSize) this.flush(agencyId);
      else p.timer ??= setTimeout(() => this.flush(agencyId), IngestBatcher.MAX_WAIT_MS);
    });
  }

  private flush(agencyId: string): void {
    const p = this.pending.get(agencyId);
    if (!p || this.running.has(agencyId)) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    if (this.running.size >= this.config.pipeline.ingestParallelBatches) {
      this.queued.add(agencyId);
      return;
    }
    this.queued.delete(agencyId);
    this.pending.delete(agencyId);
    this.running.add(agencyId);
    const ids = [...new Set(p.waiters.flatMap((w) => w.eventIds))];
    this.ingest
      .processMany(agencyId, ids)
      .then(
        (retry) => {
          for (const w of p.waiters) {
            const failed = w.eventIds.find((id) => retry.has(id));
            if (failed === undefined) w.resolve();
            else w.reject(retry.get(failed));
          }
        },
        (e: unknown) => p.waiters.forEach((w) => w.reject(e)),
      )
      .finally(() => {
        this.running.delete(agencyId);
        // Others first (they waited for the slot), then this agency's own newer jobs.
        const next = this.queued.values().next();
        if (!next.done) this.flush(next.value);
        this.flush(agencyId);
      });
  }
}
