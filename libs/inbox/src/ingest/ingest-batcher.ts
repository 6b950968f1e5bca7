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
 * this process, the other agencies waiting their turn in arrival order. While webhook intake is under
 * load, IngestPacer lets only one of their batches run at a time, and only for a share of the time
 * (concurrent runs cost more CPU per event and take it from intake); when intake is quiet, they run
 * side by side and drain a backlog on every core. More worker processes scale it out. Each job
 * settles with its own events: it fails (and bull retries it) only when one of them must be retried.
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
