import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral, type PoolClient as PgClient, type QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { InboundDelivery } from '../connectors/connector';
import { normalizeExternalAccountId } from '../platform';
import { webhookMetrics } from '../webhooks/webhook.metrics';
import { IngestJob, IngestJobs } from './ingest-jobs';

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

interface Row {
  waiter: number;
  agencyId: string;
  id: string;
  brandId: string;
  channelId: string;
  platform: string;
  eventKey: string;
  payload: string;
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
 * go through TenantDb (which binds one agency); it runs on the application role (RLS enforced) and,
 * for each agency in the batch, sets `app.agency_id` transaction-locally right before that agency's
 * INSERT, so the tenant_isolation WITH CHECK admits exactly that agency's rows. Routes are read from
 * channel_routes, whose read policy is open (a webhook names only the platform account).
 *
 * A batch costs two round trips whatever its size: the route lookup, then the whole transaction as
 * one multi-statement query (see `insert`).
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
  ) {}

  /** Resolves after the rows are committed; rejects when they could not be (the caller answers 5xx). */
  write(deliveries: InboundDelivery[]): Promise<WriteResult> {
    if (deliveries.length === 0) return Promise.resolve({ stored: 0, duplicates: 0, unrouted: 0 });
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
    // The pool's own pg client, not a TypeORM QueryRunner: the batch is sent as one multi-statement
    // query (below), which needs the raw client. `release(err)` discards a connection left unusable.
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
      const rows = await this.route(client, batch, results);
      const inserted = rows.length > 0 ? await this.insert(client, rows) : new Set<string>();

      const jobs: IngestJob[] = [];
      for (const row of rows) {
        const isNew = inserted.has(row.id);
        if (isNew) jobs.push({ agencyId: row.agencyId, eventId: row.id });
        results[row.waiter][isNew ? 'stored' : 'duplicates']++;
        webhookMetrics.accepted.inc({ platform: row.platform, outcome: isNew ? 'new' : 'duplicate' });
      }
      return { results, jobs };
    } catch (e) {
      // After a failed statement the session sits in an aborted transaction; roll back, and if even
      // that fails the connection is dropped rather than handed to the next request.
      broken ??= await client.query('ROLLBACK').then(
        () => undefined,
        () => e,
      );
      throw e;
    } finally {
      client.off('error', onError);
      release(broken);
    }
  }

  /** One query resolves every account named in the batch; entries for unknown accounts are dropped. */
  private async route(client: PgClient, batch: Waiter[], results: WriteResult[]): Promise<Row[]> {
    const keys = new Map<string, { platform: string; account: string }>();
    for (const w of batch) {
      for (const d of w.deliveries) {
        const account = normalizeExternalAccountId(d.platform, d.externalAccountId);
        keys.set(`${d.platform}\u0000${account}`, { platform: d.platform, account });
      }
    }
    const { rows: found } = await client.query<RouteRow>(
      `SELECT r.platform, r.external_account_id, r.agency_id, r.brand_id, r.channel_id
       FROM channel_routes r
       JOIN unnest($1::text[], $2::text[]) AS k(platform, account)
         ON r.platform = k.platform AND r.external_account_id = k.account`,
      [[...keys.values()].map((k) => k.platform), [...keys.values()].map((k) => k.account)],
    );
    const routes = new Map(found.map((r) => [`${r.platform}\u0000${r.external_account_id}`, r]));

    const rows: Row[] = [];
    batch.forEach((w, waiter) => {
      for (const d of w.deliveries) {
        const account = normalizeExternalAccountId(d.platform, d.externalAccountId);
        const route = routes.get(`${d.platform}\u0000${account}`);
        if (!route) {
          results[waiter].unrouted++;
          webhookMetrics.unrouted.inc({ platform: d.platform });
          continue;
        }
        rows.push({
          waiter,
          agencyId: route.agency_id,
          id: randomUUID(),
          brandId: route.brand_id,
          channelId: route.channel_id,
          platform: d.platform,
          eventKey: d.eventKey,
          payload: jsonbText(d.payload),
        });
      }
    });
    // One order for every batch, so two batches inserting the same keys wait on each other instead of
    // deadlocking.
    rows.sort(
      (a, b) => cmp(a.agencyId, b.agencyId) || cmp(a.platform, b.platform) || cmp(a.eventKey, b.eventKey),
    );
    return rows;
  }

  /**
   * The whole batch in ONE round trip: a multi-statement simple query
   *
   *   BEGIN;
   *   SELECT set_config('app.agency_id', '<agency 1>', true); INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING RETURNING id;
   *   SELECT set_config('app.agency_id', '<agency 2>', true); INSERT …;
   *   COMMIT;
   *
   * so the commit costs one network exchange and one WAL flush however many agencies the batch spans.
   * The simple protocol takes no bind parameters, so every value is inlined through pg's
   * escapeLiteral (the driver's own quoting: doubles quotes, and backslashes under E''). Postgres
   * stops at the first failing statement, leaving the transaction aborted; the caller rolls back.
   * ON CONFLICT DO NOTHING: platforms retry, so a duplicate is normal (also within one statement).
   * Returns the ids of the rows actually inserted.
   */
  private async insert(client: PgClient, rows: Row[]): Promise<Set<string>> {
    const sql: string[] = ['BEGIN'];
    for (let i = 0; i < rows.length;) {
      const agencyId = rows[i].agencyId;
      const values: string[] = [];
      for (; i < rows.length && rows[i].agencyId === agencyId; i++) {
        const r = rows[i];
        values.push(
          `(${[r.agencyId, r.id, r.brandId, r.channelId, r.platform, r.eventKey].map(escapeLiteral).join(', ')}, ${escapeLiteral(r.payload)}::jsonb)`,
        );
      }
      sql.push(`SELECT set_config('app.agency_id', ${escapeLiteral(agencyId)}, true)`);
      sql.push(
        `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload)
         VALUES ${values.join(',\n')}
         ON CONFLICT (agency_id, platform, event_key) DO NOTHING
         RETURNING id`,
      );
    }
    sql.push('COMMIT');
    const results = (await client.query(sql.join(';\n'))) as unknown as QueryResult<{ id: string }>[];
    const inserted = new Set<string>();
    for (const r of results) if (r.command === 'INSERT') for (const row of r.rows) inserted.add(row.id);
    return inserted;
  }
}

interface RouteRow {
  platform: string;
  external_account_id: string;
  agency_id: string;
  brand_id: string;
  channel_id: string;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * jsonb rejects the \u0000 escape, which JSON allows; one such entry would fail the whole batch, and
 * with it every request sharing the transaction. The NUL carries no meaning in a message, so drop it.
 */
function jsonbText(payload: unknown): string {
  return JSON.stringify(payload ?? null).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1');
}
