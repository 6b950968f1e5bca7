import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PeriodicTask, SystemDb, TenantDb } from '@caredesk/core';
import { LiveEvents } from '../live/live-events';

/** Agencies per pass; more wait for the next one. */
const AGENCIES_PER_PASS = 500;

/**
 * Reopens SNOOZED conversations whose snoozed_until has passed (worker only). Finding the agencies
 * with due conversations is unscoped (the sweep_snoozed policy admits only SNOOZED rows while
 * app.sweep = 'snooze', and only agency ids are read); the reopening runs per agency in TenantDb.
 * Several workers may run it at once: the UPDATE's WHERE re-checks, so each conversation reopens once.
 */
@Injectable()
export class SnoozeWaker extends PeriodicTask {
  protected readonly logger = new Logger(SnoozeWaker.name);

  constructor(
    private readonly systemDb: SystemDb,
    private readonly db: TenantDb,
    private readonly live: LiveEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** One pass; returns how many conversations reopened. Overlapping calls share the pass. */
  wakeOnce(): Promise<number> {
    return this.runOnce();
  }

  /** SNOOZE_WAKE_INTERVAL_SECONDS: a snoozed conversation reopens at most this late. */
  protected intervalSeconds(): number {
    return this.config.pipeline.snoozeWakeIntervalSeconds;
  }

  protected async pass(): Promise<number> {
    const agencies = await this.systemDb.run('snooze waker: agencies with due snoozes', async (m) => {
      await m.query("SELECT set_config('app.sweep', 'snooze', true)");
      return m.query<Array<{ agency_id: string }>>(
        `SELECT DISTINCT agency_id FROM conversations
          WHERE status = 'SNOOZED' AND snoozed_until <= now() LIMIT $1`,
        [AGENCIES_PER_PASS],
      );
    });
    let reopened = 0;
    for (const { agency_id: agencyId } of agencies) {
      reopened += await this.db.run(agencyId, async (tx) => {
        const rows = await tx.returning<{ id: string; brand_id: string }>(
          `UPDATE conversations SET status = 'OPEN', snoozed_until = NULL, updated_at = now()
            WHERE agency_id = $1 AND status = 'SNOOZED' AND snoozed_until <= now()
          RETURNING id, brand_id`,
          [agencyId],
        );
        tx.afterCommit(async () => {
          for (const r of rows) {
            await this.live.conversationChanged(agencyId, {
              brandId: r.brand_id,
              conversationId: r.id,
              change: 'STATUS',
            });
          }
        });
        return rows.length;
      });
    }
    return reopened;
  }
}
