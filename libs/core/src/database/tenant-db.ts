import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { TenantTx } from './tenant-tx';
import { isRetryableConflict, sqlState } from './pg-errors';
import { isUuid } from './uuid';

/**
 * The one way into tenant data. `run()` opens a transaction, sets `app.agency_id` for it with
 * `set_config(…, true)` (transaction-local: a pooled connection never carries a tenant into the
 * next request), and hands the work a TenantTx. Nested calls for the same agency join the open
 * transaction, so a service can call another (e.g. audit) and both commit or roll back together.
 */
/**
 * The options of a user's action that does nothing outside the database but what it registers with
 * `afterCommit` (a reply, a note, an inbox action): run again, up to twice, when PostgreSQL makes it a
 * deadlock's victim — ingest locks conversations in its own order — rather than fail the agent's action.
 */
export const USER_ACTION_RETRIES = { retryConflicts: 2 } as const;

@Injectable()
export class TenantDb {
  private readonly logger = new Logger(TenantDb.name);
  private readonly current = new AsyncLocalStorage<TenantTx>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `options.asyncCommit`: COMMIT does not wait for the WAL flush (`synchronous_commit = off` for this
   * transaction only). Only for work that is derived from rows already committed durably and is
   * redone from them if a crash loses it — ingest, whose source is inbound_events: a lost batch
   * leaves its events PENDING and the sweeper applies them again (idempotent on platform ids).
   * Never for anything a user or a platform was told is saved.
   *
   * `options.retryConflicts`: how many times to run `work` again, in a new transaction, when
   * PostgreSQL rolls it back for a deadlock or a serialization failure (isRetryableConflict) — only
   * for work that does nothing outside the database but what it registers with `afterCommit`
   * (which runs once, after the commit that succeeded). Applies to the outermost call only: a
   * nested call joins its caller's transaction, whose own options decide.
   */
  async run<T>(
    scope: RequestContext | string,
    work: (tx: TenantTx) => Promise<T>,
    options: { asyncCommit?: boolean; retryConflicts?: number } = {},
  ): Promise<T> {
    const agencyId = typeof scope === 'string' ? scope : scope.agencyId;
    if (!isUuid(agencyId)) throw new Error('TenantDb.run needs a tenant id');

    const open = this.current.getStore();
    if (open) {
      if (open.agencyId !== agencyId) throw new Error('Refusing to nest a transaction for another agency');
      return work(open);
    }

    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transaction(agencyId, work, options);
      } catch (e) {
        if (attempt >= (options.retryConflicts ?? 0) || !isRetryableConflict(e)) throw e;
        this.logger.warn(`transaction rolled back by a conflict (${sqlState(e)}); running it again`);
        await sleep(10 + Math.random() * 40 * (attempt + 1));
      }
    }
  }

  /** One transaction: `app.agency_id` set, `work` run, committed, then its after-commit hooks. */
  private async transaction<T>(
    agencyId: string,
    work: (tx: TenantTx) => Promise<T>,
    options: { asyncCommit?: boolean },
  ): Promise<T> {
    let tx!: TenantTx;
    const result = await this.dataSource.transaction(async (manager: EntityManager) => {
      await manager.query(
        options.asyncCommit
          ? "SELECT set_config('app.agency_id', $1, true), set_config('synchronous_commit', 'off', true)"
          : "SELECT set_config('app.agency_id', $1, true)",
        [agencyId],
      );
      tx = new TenantTx(agencyId, manager);
      return this.current.run(tx, () => work(tx));
    });
    await tx.runAfterCommit((e) => this.logger.error(`after-commit hook failed: ${String(e)}`));
    return result;
  }
}

/**
 * Work without a tenant: sign-up, login, token look-ups, webhook channel resolution. Each call names
 * its reason. RLS hides every tenant row here unless `userId` is given, in which case the policies
 * that admit a user's own memberships (and their agencies) apply — that is how login lists the
 * agencies a user belongs to before one is chosen.
 */
@Injectable()
export class SystemDb {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(
    reason: string,
    work: (manager: EntityManager) => Promise<T>,
    options: { userId?: string } = {},
  ): Promise<T> {
    if (!reason) throw new Error('SystemDb.run needs a reason');
    return this.dataSource.transaction(async (manager) => {
      if (options.userId) {
        if (!isUuid(options.userId)) throw new Error('SystemDb.run: malformed user id');
        await manager.query("SELECT set_config('app.user_id', $1, true)", [options.userId]);
      }
      return work(manager);
    });
  }

  /**
   * One statement on its own (autocommit), outside any transaction: for a database function that
   * scopes itself, such as auth_membership (migration 1764140000000), so a hot read costs one
   * round trip and one statement instead of a transaction's four.
   */
  async statement<R>(reason: string, sql: string, params: unknown[]): Promise<R[]> {
    if (!reason) throw new Error('SystemDb.statement needs a reason');
    return this.dataSource.query(sql, params);
  }
}
