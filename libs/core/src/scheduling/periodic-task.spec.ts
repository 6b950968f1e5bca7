import { Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

class Counter extends PeriodicTask {
  protected readonly logger = new Logger('Counter');
  passes = 0;
  release: (() => void) | null = null;
  fail = false;

  constructor(
    private readonly seconds = 3600,
    private readonly first?: number,
  ) {
    super();
  }
  protected override firstDelaySeconds(): number {
    return this.first ?? super.firstDelaySeconds();
  }
  once(): Promise<number> {
    return this.runOnce();
  }
  protected intervalSeconds(): number {
    return this.seconds;
  }
  protected async pass(): Promise<number> {
    this.passes++;
    await new Promise<void>((r) => (this.release = r));
    if (this.fail) throw new Error('boom');
    return this.passes;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('PeriodicTask', () => {
  it('shares the pass in progress with a second call, and starts a new one after it', async () => {
    const task = new Counter();
    const first = task.once();
    const second = task.once();
    await tick();
    expect(task.passes).toBe(1);
    task.release!();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    const third = task.once();
    await tick();
    task.release!();
    expect(await third).toBe(2);
  });

  it('waits on shutdown for the pass in progress, even one that fails', async () => {
    const task = new Counter();
    task.fail = true;
    const pass = task.once().catch(() => 'failed');
    await tick();
    let stopped = false;
    const shutdown = task.onApplicationShutdown().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    task.release!();
    await shutdown;
    expect(await pass).toBe('failed');
  });

  it('runs on its timer and logs a failed pass without stopping', async () => {
    jest.useFakeTimers();
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const task = new Counter(5);
      task.fail = true;
      task.onApplicationBootstrap();
      jest.advanceTimersByTime(5000);
      expect(task.passes).toBe(1);
      task.release!();
      await jest.runOnlyPendingTimersAsync();
      expect(error).toHaveBeenCalledWith('periodic pass failed: Error: boom');
      expect(task.passes).toBe(2); // the next tick ran
      task.release!();
      await task.onApplicationShutdown();
    } finally {
      error.mockRestore();
      jest.useRealTimers();
    }
  });

  it('runs its first pass after firstDelaySeconds, then every interval; nothing after shutdown', async () => {
    jest.useFakeTimers();
    try {
      const task = new Counter(3600, 30);
      task.onApplicationBootstrap();
      jest.advanceTimersByTime(29_000);
      expect(task.passes).toBe(0);
      jest.advanceTimersByTime(1_000);
      expect(task.passes).toBe(1);
      task.release!();
      await jest.advanceTimersByTimeAsync(3_599_000);
      expect(task.passes).toBe(1);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(task.passes).toBe(2);
      task.release!();
      await task.onApplicationShutdown();
      await jest.advanceTimersByTimeAsync(7_200_000);
      expect(task.passes).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('by default starts a long-interval task one to two minutes after start-up, a short one after its interval', async () => {
    jest.useFakeTimers();
    try {
      const hourly = new Counter(3600);
      const short = new Counter(5);
      hourly.onApplicationBootstrap();
      short.onApplicationBootstrap();
      jest.advanceTimersByTime(5_000);
      expect([hourly.passes, short.passes]).toEqual([0, 1]);
      jest.advanceTimersByTime(54_000);
      expect(hourly.passes).toBe(0);
      jest.advanceTimersByTime(61_000);
      expect(hourly.passes).toBe(1);
      hourly.release!();
      short.release!();
      await hourly.onApplicationShutdown();
      await short.onApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });
});
