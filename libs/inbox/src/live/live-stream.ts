import { AppError, ErrorCode } from '@caredesk/core';

/**
 * Undelivered events one subscription may hold before it is ended (a client that stopped reading).
 * Events arrive in bursts: one ingest batch (INGEST_BATCH_SIZE, at most 5,000 messages) publishes a
 * message event and a conversation event per message, and Redis delivers them faster than any
 * socket sends them, so a reader that keeps up still holds a whole batch for a moment. The buffer
 * holds references to events shared by every subscription of the agency (8 bytes each here).
 */
export const MAX_BUFFERED_EVENTS = 20_000;

/**
 * The async iterator a subscription resolver returns. Raw events are pushed as they arrive from
 * Redis, those `accept` refuses (a cheap synchronous test: another brand, another conversation)
 * dropped at once, and the rest turned into payloads (`map`: an async per-subscriber check,
 * `undefined` skips the event) one at a time as the client reads, so events keep their order and a
 * slow check never runs ahead.
 * `return()` (client completes, socket closes) runs what `onEnded` registered: the unsubscribe.
 */
export class LiveStream<E, T> implements AsyncIterableIterator<T> {
  private readonly buffered: E[] = [];
  private waiting?: () => void;
  private ended = false;
  private failure?: Error;

  /** Payloads sent before any event (e.g. the current presence list). */
  private readonly first: T[] = [];
  private onEnd: () => void = () => undefined;

  /** `map` may throw to end the stream with that error (e.g. the caller's access ended). */
  constructor(
    private readonly map: (event: E) => Promise<T | undefined>,
    private readonly accept: (event: E) => boolean = () => true,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** What ending the stream must undo (unsubscribing); runs at once if it has already ended. */
  onEnded(undo: () => void): void {
    if (this.ended) undo();
    else this.onEnd = undo;
  }

  /** Queues a payload ahead of every event. */
  sendFirst(value: T): void {
    this.first.push(value);
    this.wake();
  }

  push(event: E): void {
    if (this.ended || !this.accept(event)) return;
    if (this.buffered.length >= MAX_BUFFERED_EVENTS) {
      this.fail(new AppError(ErrorCode.RATE_LIMITED, 'Too many undelivered events; subscribe again'));
      return;
    }
    this.buffered.push(event);
    this.wake();
  }

  /** Ends the stream with an error the client receives (e.g. the token no longer grants access). */
  fail(error: Error): void {
    this.failure ??= error;
    this.finish();
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.first.length > 0 && !this.ended) return { value: this.first.shift()!, done: false };
      if (this.failure) {
        const failure = this.failure;
        this.failure = undefined;
        throw failure;
      }
      if (this.ended) return { value: undefined, done: true };
      const event = this.buffered.shift();
      if (event === undefined) {
        await new Promise<void>((resolve) => (this.waiting = resolve));
        continue;
      }
      let value: T | undefined;
      try {
        value = await this.map(event);
      } catch (e) {
        this.finish();
        throw e;
      }
      if (value !== undefined && !this.ended) return { value, done: false };
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    this.finish();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.buffered.length = 0;
    this.onEnd();
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
