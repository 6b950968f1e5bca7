import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PeriodicTask, SystemDb } from '@caredesk/core';
import { attachmentContentMetrics } from './attachment-content.metrics';

/** Rows one call examines (one statement, one transaction: its row locks last that long). */
const WINDOW = 500;

/** Windows one pass examines at most; a larger table is walked over the following passes. */
const WINDOWS_PER_PASS = 100;

interface Key {
  agencyId: string;
  brandId: string;
  sha256: string;
}

interface Window {
  examined: number;
  deleted: number;
  deleted_bytes: string;
  last_agency_id: string | null;
  last_brand_id: string | null;
  last_sha256: string | null;
}

/**
 * Deletes attachment_contents rows that nothing names any more — bytes of a mail refused after they
 * were stored, or whose messages are gone — a day after they were last stored, every
 * ATTACHMENT_GC_PERIOD_SECONDS (worker only). What counts as a reference, and why a row about to be
 * named again is never deleted, is in migration 1764310000000: each call of
 * collect_attachment_contents() judges one window of rows in key order, and the pass walks on from
 * where the last window ended until the table ends (the next pass starts over) or WINDOWS_PER_PASS.
 * Several workers may run it at once: each deletes a row only in the statement that re-checks it, so
 * at worst they judge the same rows twice.
 */
@Injectable()
export class AttachmentContentCollector extends PeriodicTask {
  protected readonly logger = new Logger(AttachmentContentCollector.name);
  /** Where the next window starts; null: at the beginning of the table. */
  private after: Key | null = null;

  constructor(
    private readonly systemDb: SystemDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** One pass; returns how many rows it deleted. Overlapping calls share the pass. */
  collectOnce(): Promise<number> {
    return this.runOnce();
  }

  protected intervalSeconds(): number {
    return this.config.attachments.collectIntervalSeconds;
  }

  protected async pass(): Promise<number> {
    let deleted = 0;
    let bytes = 0;
    for (let i = 0; i < WINDOWS_PER_PASS; i++) {
      const w = await this.window(this.after);
      deleted += w.deleted;
      bytes += Number(w.deleted_bytes);
      attachmentContentMetrics.deleted.inc(w.deleted);
      attachmentContentMetrics.deletedBytes.inc(Number(w.deleted_bytes));
      const end = w.examined < WINDOW;
      this.after = end
        ? null
        : { agencyId: w.last_agency_id!, brandId: w.last_brand_id!, sha256: w.last_sha256! };
      if (end) break;
    }
    if (deleted > 0) this.logger.log(`deleted ${deleted} unreferenced attachment content(s), ${bytes} bytes`);
    return deleted;
  }

  private async window(after: Key | null): Promise<Window> {
    // Unscoped on purpose, through a function that deletes only unreferenced, aged rows (migration
    // 1764310000000).
    const [w] = await this.systemDb.statement<Window>(
      'attachment content collector: delete bytes nothing names',
      `SELECT examined, deleted, deleted_bytes, last_agency_id, last_brand_id, last_sha256
         FROM collect_attachment_contents($1, $2, $3, $4)`,
      [after?.agencyId ?? null, after?.brandId ?? null, after?.sha256 ?? null, WINDOW],
    );
    return w;
  }
}
