import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { IntakePressure } from '@caredesk/channels';
import { ingestPacerMetrics } from './ingest-pacer.metrics';

/** What the pacer asks of IntakePressure. */
export type IntakeLoad = Pick<IntakePressure, 'isBusy'>;

/**
 * Ingest yields to webhook intake (IntakePressure). While intake is under load, this worker runs one
 * ingest batch at a time, of at most BUSY_BATCH_SIZE events, and keeps batches to
 * INGEST_SHARE_UNDER_LOAD of the time: after a batch that took t, the next starts no sooner than
 * t × (1 / share − 1) later. The events wait PENDING, committed. When intake is quiet, batches of
 * INGEST_BATCH_SIZE run back to back and up to INGEST_PARALLEL_BATCHES at once, which drains the
 * backlog on every core.
 *
 * Why: a platform judges us by how fast it gets its 200 (slow answers are retried, and a webhook that
 * stays slow is disabled); a conversation that shows up seconds later costs little. On bench/ingest
 * (everything on 2 cores) ingest beside intake costs ~190 µs of CPU per event against the floor's
 * whole ~230, and intake's commits also flush the WAL ingest writes; paced, intake answers as fast as
 * the bare floor and the backlog drains right after. A share, not a pause: ingest still moves. And
 * deferring has a bound: once intake has been busy for INGEST_MAX_DEFER_SECONDS without a break, the
 * batches stop resting and take INGEST_BATCH_SIZE again (still one at a time) until intake is quiet,
 * so under a storm that lasts, conversations lag by about that much, not by the storm's length.
 * A share of 1 turns pacing off.
 */
@Injectable()
export class IngestPacer {
  private running = 0;
  private lastMs = 0;
  private lastEnd = 0;
  /** When this worker first saw intake busy since it was last quiet (null: quiet). */
  private busySince: number | null = null;

  constructor(
    @Inject(IntakePressure) private readonly intake: IntakeLoad,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs one ingest batch when its turn comes. */
  async run<T>(batch: (limit: number) => Promise<T>): Promise<T> {
    const { ingestShareUnderLoad: share, ingestMaxDeferSeconds } = this.config.pipeline;
    let limit = this.config.pipeline.ingestBatchSize;
    let pace: 'quiet' | 'yielding' | 'overdue' = 'quiet';
    const asked = Date.now();
    if (share < 1) {
      // No await between the last check and `running++`: two waiting batches cannot both start.
      for (;;) {
        if (!(await this.intake.isBusy())) {
          this.busySince = null;
          pace = 'quiet';
          break;
        }
        const now = Date.now();
        this.busySince ??= now;
        const overdue = now - this.busySince >= ingestMaxDeferSeconds * 1000;
        const rest = overdue ? 0 : this.lastEnd + this.lastMs * (1 / share - 1) - now;
        if (this.running === 0 && rest <= 0) {
          pace = overdue ? 'overdue' : 'yielding';
          if (!overdue) limit = Math.min(limit, IngestPacer.BUSY_BATCH_SIZE);
          break;
        }
        await new Promise((r) => setTimeout(r, Math.min(Math.max(rest, 1), IngestPacer.POLL_MS)));
      }
    }
    this.running++;
    const started = Date.now();
    ingestPacerMetrics.batches.inc({ pace });
    if (started - asked >= 1) ingestPacerMetrics.restSeconds.inc((started - asked) / 1000);
    try {
      return await batch(limit);
    } finally {
      this.running--;
      this.lastEnd = Date.now();
      this.lastMs = this.lastEnd - started;
    }
  }

  /** A waiting batch looks again this often (intake may have gone quiet). */
  static readonly POLL_MS = 50;

  /**
   * Events a batch takes at most while intake is busy (INGEST_BATCH_SIZE otherwise): it holds the
   * cores intake wants for ~20 ms instead of ~200, so its mark on intake's p99 stays small.
   */
  static readonly BUSY_BATCH_SIZE = 100;
}
