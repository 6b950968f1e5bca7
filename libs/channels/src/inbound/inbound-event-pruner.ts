import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PeriodicTask, SystemDb } from '@caredesk/core';

/** Rows one statement deletes at most (one short transaction), and statements per pass. */
const BATCH = 5000;
const BATCHES_PER_PASS = 40;

/** Seconds between passes: retention is counted in days, so hourly is plenty. */
const INTERVAL_SECONDS = 3600;

/**
 * Deletes finished inbound events (PROCESSED, IGNORED) received more than
 * INBOUND_EVENT_RETENTION_DAYS ago (0: never), through prune_inbound_events() (migration
 * 1764340000000, where why it is safe is written down): up to 200,000 rows an hour in batches of 5,000,
 * each its own short transaction. Worker only; several workers may run it at once (each batch deletes
 * what is still there).
 */
@Injectable()
export class InboundEventPruner extends PeriodicTask {
  protected readonly logger = new Logger(InboundEventPruner.name);

  constructor(
    private readonly systemDb: SystemDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** One pass now; answers how many rows it deleted. Overlapping calls share the pass. */
  pruneOnce(): Promise<number> {
    return this.runOnce();
  }

  protected intervalSeconds(): number {
    return INTERVAL_SECONDS;
  }

  protected async pass(): Promise<number> {
    const days = this.config.pipeline.inboundRetentionDays;
    if (days === 0) return 0;
    const before = new Date(Date.now() - days * 86_400_000);
    let deleted = 0;
    for (let i = 0; i < BATCHES_PER_PASS; i++) {
      // Unscoped on purpose: retention serves every agency (finished rows only, by the function's role).
      const [{ pruned }] = await this.systemDb.statement<{ pruned: number }>(
        'inbound event retention: delete finished deliveries',
        `SELECT prune_inbound_events($1, $2) AS pruned`,
        [before, BATCH],
      );
      deleted += pruned;
      if (pruned < BATCH) break;
    }
    if (deleted > 0) this.logger.log(`deleted ${deleted} finished inbound event(s) older than ${days} days`);
    return deleted;
  }
}
