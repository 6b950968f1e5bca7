import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask, SystemDb } from '@caredesk/core';

/** Rows per pass; a longer backlog drains over the following passes. */
const EXPIRE_LIMIT = 5000;

/** Hourly: a pending change is dropped 30 days after it arrived, so an hour late is nothing. */
const INTERVAL_SECONDS = 3600;

/**
 * Deletes pending edits and deletions whose message never came (one written before the channel was
 * connected, or never delivered) 30 days after they arrived, so they do not pile up. Runs in the
 * worker only. Several workers may run it at once: a row is deleted once.
 */
@Injectable()
export class PendingChangeExpiry extends PeriodicTask {
  protected readonly logger = new Logger(PendingChangeExpiry.name);

  constructor(private readonly systemDb: SystemDb) {
    super();
  }

  /** One pass; returns how many pending changes it deleted. Overlapping calls share the pass. */
  expireOnce(): Promise<number> {
    return this.runOnce();
  }

  protected intervalSeconds(): number {
    return INTERVAL_SECONDS;
  }

  protected async pass(): Promise<number> {
    // Unscoped on purpose, through a function that deletes only expired rows (migration 1764260000000).
    const [{ deleted }] = await this.systemDb.statement<{ deleted: number }>(
      'pending change expiry: drop changes whose message never came',
      `SELECT expire_pending_message_changes($1) AS deleted`,
      [EXPIRE_LIMIT],
    );
    if (deleted > 0) this.logger.log(`dropped ${deleted} pending changes whose message never came`);
    return deleted;
  }
}
