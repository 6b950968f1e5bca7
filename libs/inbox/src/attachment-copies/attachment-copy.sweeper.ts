import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Sweeper, SystemDb } from '@caredesk/core';
import { AttachmentCopyJob, AttachmentCopyJobs } from './attachment-copy.jobs';

/** Messages per sweep; a longer list (a backfill) drains over the following sweeps. */
const SWEEP_LIMIT = 500;

/**
 * Re-enqueues the copies of messages whose attachments_to_copy flag is still set after
 * `pipeline.sweepAfterSeconds`: the add after the ingest commit failed, Redis was flushed, or a job
 * failed for a reason other than the CDN (the copy job clears the flag once every file is copied or
 * given up). Also how messages stored before copies existed get theirs (the migration flagged them).
 * Copying is idempotent, so a sweep that races a job still waiting adds nothing (same job id).
 * Runs in the worker only.
 */
@Injectable()
export class AttachmentCopySweeper extends Sweeper {
  protected readonly logger = new Logger(AttachmentCopySweeper.name);

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly systemDb: SystemDb,
    private readonly jobs: AttachmentCopyJobs,
  ) {
    super(config);
  }

  protected async pass(): Promise<number> {
    // Unscoped on purpose, through a function that reads ids only (migration 1764200000000).
    const due = await this.systemDb.statement<AttachmentCopyJob>(
      'attachment copy sweeper: re-enqueue unfinished copies',
      `SELECT agency_id AS "agencyId", message_id AS "messageId" FROM attachment_copies_due($1, $2)`,
      [this.config.pipeline.sweepAfterSeconds, SWEEP_LIMIT],
    );
    if (due.length === 0) return 0;
    const added = await this.jobs.requeue(due);
    if (added > 0) this.logger.warn(`re-enqueued ${added} of ${due.length} unfinished attachment copies`);
    return added;
  }
}
