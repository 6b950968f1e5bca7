import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES } from '@caredesk/core';

/**
 * Whether webhook intake is under load right now, shared through Redis between the API processes that
 * see it and the ingest workers that yield to it (IngestPacer, libs/inbox).
 *
 * Intake answers a platform only after its rows are committed; the ingest work those rows cause is
 * derived and can wait. When both want the database (and, on a small deployment, the same cores),
 * intake must win: a slow 200 makes platforms retry and, if it persists, disable the webhook, while a
 * late conversation update costs seconds. "Under load" is read off the group commit itself: a commit
 * that gathered BUSY_GROUP requests or more means requests queue for the database (a trickle commits
 * one or two at a time). Such a commit sets a flag that lives TTL_MS and is refreshed at most every
 * REFRESH_MS per process, so it goes out within TTL_MS of the load.
 *
 * Every failure reads as "not busy", and so does a read Redis has not answered within READ_TIMEOUT_MS:
 * Redis trouble must never hold ingest up.
 */
@Injectable()
export class IntakePressure {
  static readonly BUSY_GROUP = 8;
  static readonly TTL_MS = 300;
  static readonly REFRESH_MS = 100;
  /** A worker reads the flag at most this often. */
  static readonly READ_EVERY_MS = 50;
  static readonly READ_TIMEOUT_MS = 200;

  private lastMark = 0;
  private lastRead = 0;
  private busy = false;
  private reading: Promise<boolean> | null = null;

  constructor(@InjectQueue(QUEUES.INGEST) private readonly queue: Queue) {}

  /** The webhook writer, as it commits a group of `requests` requests. */
  noteCommitGroup(requests: number): void {
    if (requests < IntakePressure.BUSY_GROUP) return;
    const now = Date.now();
    if (now - this.lastMark < IntakePressure.REFRESH_MS) return;
    this.lastMark = now;
    this.queue.client.set(this.key(), '1', 'PX', IntakePressure.TTL_MS).catch(() => undefined);
  }

  /** Whether any API process saw intake under load within the last TTL_MS (cached READ_EVERY_MS). */
  isBusy(): Promise<boolean> {
    if (Date.now() - this.lastRead < IntakePressure.READ_EVERY_MS) return Promise.resolve(this.busy);
    this.reading ??= new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), IntakePressure.READ_TIMEOUT_MS).unref();
      this.queue.client
        .exists(this.key())
        .then(
          (n) => resolve(n === 1),
          () => resolve(false),
        )
        .finally(() => clearTimeout(timer));
    }).then((busy) => {
      this.busy = busy;
      this.lastRead = Date.now();
      this.reading = null;
      return busy;
    });
    return this.reading;
  }

  private key(): string {
    return this.queue.toKey('intake-busy');
  }
}
