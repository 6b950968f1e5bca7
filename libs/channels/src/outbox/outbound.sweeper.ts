import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Sweeper, SystemDb } from '@caredesk/core';
import { OutboxService } from './outbox.service';

/**
 * Re-enqueues sends that were committed but never finished: the job was lost (Redis flushed) or its
 * worker died mid-call. Idempotent: jobId = outbound id makes an add for a row whose job still
 * exists a no-op, and a re-run of a finished row does nothing (SendRecorder.claim).
 */
@Injectable()
export class OutboundSweeper extends Sweeper {
  protected readonly logger = new Logger(OutboundSweeper.name);

  constructor(
    private readonly system: SystemDb,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(config);
  }

  protected async pass(): Promise<number> {
    const after = this.config.pipeline.sweepAfterSeconds;
    // Unscoped on purpose: lost work of every agency must be found before any tenant is known. The
    // sweep_pending policy admits only QUEUED/SENDING rows, and only ids are read.
    const rows = await this.system.run(
      'outbound sweeper: find unfinished sends of every agency',
      async (m) => {
        await m.query(`SELECT set_config('app.sweep', 'outbound', true)`);
        return m.query(
          `SELECT agency_id AS "agencyId", id FROM outbound_messages
          WHERE status IN ('QUEUED','SENDING')
            AND next_attempt_at < now() - make_interval(secs => $1)
            AND updated_at < now() - make_interval(secs => $1)
          ORDER BY next_attempt_at LIMIT 1000`,
          [after],
        ) as Promise<Array<{ agencyId: string; id: string }>>;
      },
    );
    for (const r of rows) await this.outbox.addJob(r.agencyId, r.id);
    if (rows.length > 0) this.logger.log(`re-enqueued ${rows.length} unfinished sends`);
    return rows.length;
  }
}
