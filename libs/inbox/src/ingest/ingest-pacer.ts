import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { IntakePressure } from '@caredesk/channels';

/** What the pacer asks of IntakePressure. */
export type IntakeLoad = Pick<IntakePressure, 'isBusy'>;

/**
 * Ingest yields to webhook intake (IntakePressure). While intake is under load, this worker runs one
 * ingest batch at a time and keeps batches to INGEST_SHARE_UNDER_LOAD of the time: after a
 * batch that took t, the next starts no sooner than t × (1 / share − 1) later. The events wait
 * PENDING, committed; batches simply grow. When intake is quiet, batches run back to back and up to
 * INGEST_PARALLEL_BATCHES at once, which drains the backlog on every core.
 *
 * On bench/ingest (everything on 2 cores) this is what lets intake answer as fast as the bare floor:
 * ingest beside it costs ~190 µs of CPU per event against the floor's whole ~230, and intake's commits
 * also flush the WAL ingest writes. A share, not a pause, so ingest never stops under a storm that
 * lasts; 1 turns pacing off.
 */
@Injectable()
export class IngestPacer {
  private running = 0;
  private lastMs = 0;
  private lastEnd = 0;

  constructor(
    @Inject(IntakePressure) private readonly intake: IntakeLoad,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs one ingest batch when its turn comes. */
  async run<T>(batch: () => Promise<T>): Promise<T> {
    const share = this.config.pipeline.ingestShareUnderLoad;
    if (share < 1) {
      // No await between the last check and `running++`: two waiting batches cannot both start.
      for (;;) {
        if (!(await this.intake.isBusy())) break;
        const rest = this.lastEnd + this.lastMs * (1 / share - 1) - Date.now();
        if (this.running === 0 && rest <= 0) break;
        await new Promise((r) => setTimeout(r, Math.min(Math.max(rest, 1), IngestPacer.POLL_MS)));
      }
    }
    this.running++;
    const started = Date.now();
    try {
      return await batch();
    } finally {
      this.running--;
      this.lastEnd = Date.now();
      this.lastMs = this.lastEnd - started;
    }
  }

  /** A waiting batch looks again this often (intake may have gone quiet). */
  static readonly POLL_MS = 50;
}
