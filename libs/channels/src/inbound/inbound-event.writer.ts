import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AttachmentContentStore } from '../attachments/attachment-content.store';
import { InboundDelivery } from '../connectors/connector';
import { normalizeExternalAccountId } from '../platform';
import { webhookMetrics } from '../webhooks/webhook.metrics';
import { IngestJob, IngestJobs } from './ingest-jobs';
import { IntakePressure } from './intake-pressure';

/** What became of one request's deliveries. */
export interface WriteResult {
  /** New rows (enqueued for ingest). */
  stored: number;
  /** Already stored: a platform retry. */
  duplicates: number;
  /** Dropped: no connected channel serves the account the entry names. */
  unrouted: number;
}

interface Waiter {
  deliveries: InboundDelivery[];
  resolve(result: WriteResult): void;
  reject(error: unknown): void;
}

/**
 * Stores verified webhook deliveries in inbound_events and answers only once they are committed
 * (DESIGN.md, "Flow of a message": commit first, then 200, then enqueue — nothing is lost if Redis is).
 *
 * GROUP COMMIT. One transaction per webhook request caps intake at the database's commit rate (one
 * WAL flush each). Instead, requests arriving together share a transaction: a batch is collected for
 * at most MAX_WAIT_MS or MAX_ROWS entries, written in one transaction with one COMMIT, and then every
 * waiting request resolves. At most MAX_IN_FLIGHT batches are committing at once; while they are, the
 * next batch fills up, so under load batches grow and the per-entry cost falls.
 *
 * Documented exception to "one tenant per transaction": a batch serves several agencies. It does not
 * go through TenantDb (which binds one agency): it is ONE call of the database function
 * intake_inbound_events (migration 1764150000000), on the application role (RLS enforced), which
 * routes every entry through channel_routes (open read policy: a webhook names only the platform
 * account) and, agency by agency, sets `app.agency_id` transaction-locally before inserting that
 * agency's rows, so the tenant_isolation WITH CHECK admits exactly them. One round trip and one
 * implicit transaction whatever the batch's size; values travel as one bound JSON parameter.
 */
@Injectable()
export class InboundEventWriter {
  static readonly MAX_WAIT_MS = 2;
  static readonly MAX_ROWS = 1000;
  static readonly MAX_IN_FLIGHT = 4;

  private readonly logger = new Logger(InboundEventWriter.name);
  private waiting: Waiter[] = [];
  private waitingRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  /** Group-commit figures since start (the ingest benchmark prints them). */
  readonly stats = { batches: 0, requests: 0, commitMs: 0 };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: IngestJobs,
    private readonly contents: AttachmentContentStore,
    private readonly pressure: IntakePressure,
  ) {}

  /**
   * Resolves after the rows are committed; rejects when they could not be (the caller answers 5xx).
   * Attachment bytes a delivery carries (email) are committed first, so no event names missing bytes.
   */
  write(deliveries: InboundDelivery[]): Promise<WriteResult> {
    if (deliveries.length === 0) return Promise.resolve({ stored: 0, duplicates: 0, unrouted: 0 });
    if (deliveries.some((d) => d.contents?.length)) {
      return this.contents.keep(deliveries).then(() => this.enqueue(deliveries));
    }
    return this.enqueue(deliveries);
  }

  private enqueue(deliveries: InboundDelivery[]): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => {
      this.waiting.push({ deliveries, resolve, reject });
      this.waitingRows += deliveries.length;
      this.schedule(false);
    });
  }

  private schedule(now: boolean): void {
    if (this.waiting.length === 0 || this.inFlight >= InboundEventWriter.MAX_IN_FLIGHT) return;
    if (now || this.waitingRows >= InboundEventWriter.MAX_ROWS) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, InboundEventWriter.MAX_WAIT_MS);
    }
  }

  private async flush(): Promise<void> {
    const batch = this.take();
    if (batch.length === 0) return;
    this.inFlight++;
    const started = Date.now();
    this.pressure.noteCommitGroup(batch.length);
    try {
      const { results, jobs } = await this.commit(batch);
      this.stats.batches++;
      this.stats.requests += batch.length;
      this.stats.commitMs += Date.now() - started;
      batch.forEach((w, i) => w.resolve(results[i]));
      void this.jobs.enqueueNew(jobs);
    } catch (e) {
      this.logger.error(`inbound_events batch of ${batch.length} request(s) not stored: ${String(e)}`);
      for (const w of batch) w.reject(e);
    } finally {
      this.inFlight--;
      // Whatever arrived while this batch was committing has waited long enough.
      this.schedule(true);
    }
  }

  /** Whole requests, up to MAX_ROWS entries (always at least one request). */
  private take(): Waiter[] {
    let rows = 0;
    let n = 0;
    while (
      n < this.waiting.length &&
      (n === 0 || rows + this.waiting[n].deliveries.length <= InboundEventWriter.MAX_ROWS)
    ) {
      rows += this.waiting[n].deliveries.length;
      n++;
    }
    this.waitingRows -= rows;
    return this.waiting.splice(0, n);
  }

  private async commit(batch: Waiter[]): Promise<{ results: WriteResult[]; jobs: IngestJob[] }> {
    const results = batch.map(() => ({ stored: 0, duplicates: 0, unrouted: 0 }));
    const entries: Entry[] = [];
    const parts: string[] = [];
    batch.forEach((w, waiter) => {
      for (const d of w.deliveries) {
        const e: Entry = { waiter, id: randomUUID(), platform: d.platform };
        // The batch is one JSON document (no array quoting of every payload); the payload is spliced
        // in as the JSON text it already is.
        parts.push(
          `{"n":${entries.length},"id":"${e.id}","platform":${JSON.stringify(d.platform)},` +
            `"account":${JSON.stringify(normalizeExternalAccountId(d.platform, d.externalAccountId))},` +
            `"key":${JSON.stringify(d.eventKey)},"payload":${jsonbText(d.payload)}}`,
        );
        entries.push(e);
      }
    });

    // The pool's own pg client, not a TypeORM QueryRunner: one statement, no transaction to manage.
    // `release(err)` discards a connection left unusable.
    const [client, release] = (await (this.dataSource.driver as PostgresDriver).obtainMasterConnection()) as [
      PgClient,
      (err?: unknown) => void,
    ];
    let broken: unknown;
    // A connection cut while checked out (the database restarting) is reported as an 'error' event
    // as well as the query's rejection; unlistened, that event would crash the process.
    const onError = (err: unknown) => (broken = err);
    client.on('error', onError);
    try {
      // Routing and inserting, every agency of the batch, in one statement and one implicit
      // transaction: see migration 1764150000000-inbound-intake-function.
      const { rows } = await client.query<{ n: number; agency_id: string; inserted: boolean }>(
        'SELECT n, agency_id, inserted FROM intake_inbound_events($1::jsonb)',
        [`[${parts.join(',')}]`],
      );
      const routed = new Map(rows.map((r) => [r.n, r]));
      const jobs: IngestJob[] = [];
      entries.forEach((e, n) => {
        const row = routed.get(n);
        if (!row) {
          results[e.waiter].unrouted++;
          webhookMetrics.unrouted.inc({ platform: e.platform });
          return;
        }
        if (row.inserted) jobs.push({ agencyId: row.agency_id, eventId: e.id });
        results[e.waiter][row.inserted ? 'stored' : 'duplicates']++;
        webhookMetrics.accepted.inc({ platform: e.platform, outcome: row.inserted ? 'new' : 'duplicate' });
      });
      return { results, jobs };
    } finally {
      client.off('error', onError);
      release(broken);
    }
  }
}

interface Entry {
  waiter: number;
  id: string;
  platform: string;
}

/**
 * jsonb rejects the \u0000 escape, which JSON allows; one such entry would fail the whole batch, and
 * with it every request sharing the transaction. The NUL carries no meaning in a message, so drop it.
 */
function jsonbText(payload: unknown): string {
  return JSON.stringify(payload ?? null).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1');
}
