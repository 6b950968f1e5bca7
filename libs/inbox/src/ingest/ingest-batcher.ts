import { Injectable } from '@nestjs/common';
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
 * Gathers the events of ingest jobs running at the same time into one batch per agency, so the
 * worker applies them in one transaction (IngestService.processMany) however the webhook writer cut
 * its jobs (one per agency per commit group: a few events each when many agencies are busy). A job
 * waits at most MAX_WAIT_MS for company; a batch is sent as soon as it holds MAX_EVENTS.
 *
 * One batch per agency at a time: jobs that arrive while the agency's batch runs wait for it and
 * then go together. That batch has usually taken their events along already (applyBatch), so
 * running them at once would cost a transaction each to find nothing — measured on bench/ingest,
 * 6,500 such transactions for 40,000 events. Each job settles with its own events: it fails (and
 * bull retries it) only when one of them must be retried.
 */
@Injectable()
export class IngestBatcher {
  static readonly MAX_WAIT_MS = 5;
  static readonly MAX_EVENTS = 250;

  private readonly pending = new Map<string, Pending>();
  /** Agencies whose batch is running now. */
  private readonly running = new Set<string>();

  constructor(private readonly ingest: IngestService) {}

  add(agencyId: string, eventIds: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let p = this.pending.get(agencyId);
      if (!p) {
        p = { waiters: [], size: 0, timer: null };
        this.pending.set(agencyId, p);
      }
      p.waiters.push({ eventIds, resolve, reject });
      p.size += eventIds.length;
      // While the agency's batch runs, its end flushes these.
      if (this.running.has(agencyId)) return;
      if (p.size >= IngestBatcher.MAX_EVENTS) this.flush(agencyId);
      else p.timer ??= setTimeout(() => this.flush(agencyId), IngestBatcher.MAX_WAIT_MS);
    });
  }

  private flush(agencyId: string): void {
    const p = this.pending.get(agencyId);
    if (!p || this.running.has(agencyId)) return;
    this.pending.delete(agencyId);
    if (p.timer) clearTimeout(p.timer);
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
        this.flush(agencyId);
      });
  }
}
