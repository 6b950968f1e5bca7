import { createHash } from 'node:crypto';
import type { PoolClient as PgClient } from 'pg';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ScopedRepository, TenantOwned } from './scoped-repository';

/**
 * A transaction in which `app.agency_id` is set (so RLS admits exactly one agency's rows). Hands out
 * repositories bound to this transaction and this agency.
 */
export class TenantTx {
  private readonly afterCommitHooks: Array<() => unknown> = [];

  constructor(
    readonly agencyId: string,
    readonly manager: EntityManager,
  ) {}

  repo<T extends TenantOwned & ObjectLiteral>(entity: EntityTarget<T>): ScopedRepository<T> {
    return new ScopedRepository(this.manager, entity, this.agencyId);
  }

  /** Raw SQL inside the tenant transaction; RLS still applies. Prefer `repo()` where it fits. */
  query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.manager.query(sql, params);
  }

  /** An UPDATE or DELETE inside the tenant transaction; returns how many rows it changed. */
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    const result: unknown = await this.manager.query(sql, params);
    // TypeORM's postgres driver answers UPDATE/DELETE with [rows, affectedCount].
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }

  /**
   * A read sent as a named prepared statement (the name is a hash of the text): PostgreSQL plans it
   * once per connection rather than on every request. For hot, fixed-shape reads whose planning is a
   * real share of their cost (the inbox page: 0.3–2 ms to plan, warm or cold, ~1.6 ms to run). Use only with bind
   * parameters — never with values inlined into `sql`, or every request would prepare a new statement.
   */
  async prepared<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const runner = this.manager.queryRunner as unknown as { connect(): Promise<PgClient> } | undefined;
    if (!runner) return this.query<R>(sql, params);
    const client = await runner.connect();
    const name = `cd_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    const result = await client.query({ name, text: sql, values: params });
    return result.rows as R[];
  }

  /** The RETURNING rows of an UPDATE or DELETE (TypeORM answers those with [rows, count]). */
  async returning<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const result: unknown = await this.manager.query(sql, params);
    return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as R[];
  }

  /**
   * Runs after the transaction commits (never if it rolls back): enqueueing jobs, publishing events.
   * "Commit first, then enqueue" (DESIGN.md), so a job never refers to a row that is not there.
   */
  afterCommit(hook: () => unknown): void {
    this.afterCommitHooks.push(hook);
  }

  /** @internal called by TenantDb */
  async runAfterCommit(onError: (e: unknown) => void): Promise<void> {
    for (const hook of this.afterCommitHooks) {
      try {
        await hook();
      } catch (e) {
        onError(e);
      }
    }
  }
}
