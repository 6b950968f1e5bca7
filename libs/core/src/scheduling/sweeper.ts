import { AppConfig } from '../config/app-config';
import { PeriodicTask } from './periodic-task';

/**
 * A PeriodicTask that finds committed but unfinished work (a lost job, a dead worker) and enqueues it
 * again, every SWEEP_INTERVAL_SECONDS; `pass` answers how many jobs it added.
 */
export abstract class Sweeper extends PeriodicTask {
  constructor(protected readonly config: AppConfig) {
    super();
  }

  /** One sweep; answers how many jobs it added. Overlapping calls share the sweep in progress. */
  sweepOnce(): Promise<number> {
    return this.runOnce();
  }

  protected intervalSeconds(): number {
    return this.config.pipeline.sweepIntervalSeconds;
  }
}
