import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Sweeper, SystemDb } from '@caredesk/core';
import { IngestJob, IngestJobs } from './ingest-jobs';

/** Rows per sweep; a backlog larger than this drains over the following sweeps. */
const SWEEP_LIMIT = 1000;

/**
 * Re-enqueues inbound_events that were committed but are still PENDING after
 * `pipeline.sweepAfterSeconds` (DESIGN.md, "Flow of a message"): the enqueue after commit failed,
 * Redis was flushed, or a worker died with the job. Ingest is idempotent on the platform's ids, so
 * re-running an event that was in fact still queued costs a little work and never a duplicate.
 * Runs in the worker only.
 */
@Injectable()
export class InboundSweeper extends Sweeper {
  protected readonly logger = new Logger(InboundSweeper.name);

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly systemDb: SystemDb,
    private readonly jobs: IngestJobs,
  ) {
    super(config);
  }

  protected async pass(): Promise<number> {
    // Unscoped on purpose: the sweeper serves every agency and runs before any tenant is known.
    // inbound_events_stale (migration 1764160000000) reads ids only, as a role that the application
    // role is not, so no policy for it rides along on ingest's own reads.
    const stale = await this.systemDb.statement<IngestJob>(
      'inbound sweeper: re-enqueue unfinished events',
      `SELECT agency_id AS "agencyId", event_id AS "eventId" FROM inbound_events_stale($1, $2)`,
      [this.config.pipeline.sweepAfterSeconds, SWEEP_LIMIT],
    );
    if (stale.length === 0) return 0;
    const added = await this.jobs.requeue(stale);
    if (added > 0) this.logger.warn(`re-enqueued ${added} of ${stale.length} stale inbound event(s)`);
    return added;
  }
}
