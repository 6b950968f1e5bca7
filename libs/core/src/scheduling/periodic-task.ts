import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Work the worker repeats on a timer (the sweepers, the snooze waker). One pass every
 * `intervalSeconds()`; never two at once in a process (a call while a pass runs shares that pass);
 * the timer does not keep the process alive, and shutdown waits for the pass in progress. A failed
 * pass is logged and the next tick tries again. Subclasses name the pass (`sweepOnce`, …) for tests
 * and callers by delegating to `runOnce`.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  /** Seconds between passes. */
  protected abstract intervalSeconds(): number;

  /** One pass; answers how much it did (jobs added, rows changed). */
  protected abstract pass(): Promise<number>;

  /**
   * Seconds from start-up to the first pass: one interval, but at most one to two minutes (spread over
   * workers started together), or a task with a long interval would never run in a worker restarted
   * more often than that.
   */
  protected firstDelaySeconds(): number {
    return Math.min(this.intervalSeconds(), 60 + Math.random() * 60);
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      this.runOnce().catch((e) => this.logger.error(`periodic pass failed: ${String(e)}`));
    };
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, this.intervalSeconds() * 1000);
      this.timer.unref();
    }, this.firstDelaySeconds() * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    // clearTimeout and clearInterval are interchangeable in Node: either timer is cleared.
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  protected runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }
}
