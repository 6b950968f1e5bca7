import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig, isUuid, QUEUES, RequestContext, TenantDb, TenantTx } from '@caredesk/core';
import { OutboundAction, OutboundMessage, OutboundPayload } from './outbound-message.entity';
import { CHANNEL_DISCONNECTED, failOutbound } from './outbound-failure';
import { OutboundResultRegistry } from './outbound-result.registry';

export interface SendJob {
  agencyId: string;
  outboundId: string;
}

export interface EnqueueOutbound {
  brandId: string;
  channelId: string;
  messageId: string | null;
  action: OutboundAction;
  payload: OutboundPayload;
}

/** Base of the exponential backoff between TRANSIENT retries (see sendBackoffMs). */
export const SEND_BACKOFF_MS = 1000;

/**
 * How long bull's built-in `exponential` backoff waits after a job's `failedAttempts`-th failure:
 * (2^n − 1) × delay (bull lib/backoffs.js), i.e. 1 s, 3 s, 7 s, … The send worker writes the same
 * time to next_attempt_at, so the sweeper does not take a row whose retry is still delayed in bull
 * for a lost one.
 */
export function sendBackoffMs(failedAttempts: number): number {
  return Math.round((2 ** failedAttempts - 1) * SEND_BACKOFF_MS);
}

/**
 * The producer side of the send queue. Rows are written in the caller's transaction and the job is
 * added only after it commits ("commit first, then enqueue", DESIGN.md); if Redis loses the job the
 * outbound sweeper finds the row again.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly db: TenantDb,
    @InjectQueue(QUEUES.SEND) private readonly queue: Queue<SendJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly results: OutboundResultRegistry,
  ) {}

  async enqueue(ctx: RequestContext, input: EnqueueOutbound): Promise<OutboundMessage> {
    return this.db.run(ctx, async (tx) => {
      const row = Object.assign(new OutboundMessage(), {
        agencyId: ctx.agencyId,
        id: randomUUID(),
        brandId: input.brandId,
        channelId: input.channelId,
        messageId: input.messageId,
        action: input.action,
        payload: input.payload,
        status: 'QUEUED',
        attempts: 0,
        nextAttemptAt: new Date(),
      } satisfies Partial<OutboundMessage>);
      await tx.repo(OutboundMessage).insert(row);
      tx.afterCommit(() => this.addJob(ctx.agencyId, row.id));
      return row;
    });
  }

  /**
   * Adds the send job. `jobId` = the outbound id, so a second add while a job for the row is still
   * waiting or running (a sweep racing a slow worker) is a no-op in bull. A delayed retry uses a
   * distinct id, because the job asking for it is itself still active.
   */
  async addJob(agencyId: string, outboundId: string, delayMs = 0, retryOf?: number): Promise<void> {
    await this.queue.add(
      { agencyId, outboundId },
      {
        jobId: retryOf === undefined ? outboundId : `${outboundId}:${retryOf}`,
        delay: delayMs,
        attempts: this.config.pipeline.sendMaxAttempts,
        backoff: { type: 'exponential', delay: SEND_BACKOFF_MS },
        // Finished jobs are removed so that their id can be enqueued again (reconnect, sweeper).
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  /** On reconnect (ChannelLifecycleHooks): every send that waited for the channel is queued again. */
  async resumeChannel(tx: TenantTx, channelId: string): Promise<number> {
    const rows = await tx.returning<{ id: string }>(
      `UPDATE outbound_messages SET status = 'QUEUED', next_attempt_at = now(), updated_at = now()
        WHERE agency_id = $1 AND channel_id = $2 AND status = 'WAITING_FOR_RECONNECT'
        RETURNING id`,
      [tx.agencyId, channelId],
    );
    const ids = rows.map((r) => r.id);
    tx.afterCommit(async () => {
      for (const id of ids) await this.addJob(tx.agencyId, id);
    });
    return ids.length;
  }

  /**
   * On disconnect (ChannelLifecycleHooks): the sends that waited for a reconnect can never go out on
   * this connection (its secrets are wiped), and a reconnect days later must not post stale replies,
   * so they end FAILED CHANNEL_UNAVAILABLE now and the agent sees it. Queued ones fail the same way
   * when their job runs (SendRecorder.claim); one being sent finishes as the platform answers.
   */
  async failWaiting(tx: TenantTx, channelId: string): Promise<number> {
    const rows = await tx.query<{ id: string }>(
      `SELECT id FROM outbound_messages
        WHERE agency_id = $1 AND channel_id = $2 AND status = 'WAITING_FOR_RECONNECT'
        ORDER BY created_at FOR UPDATE`,
      [tx.agencyId, channelId],
    );
    await failOutbound(
      tx,
      this.results,
      rows.map((r) => r.id),
      'CHANNEL_UNAVAILABLE',
      CHANNEL_DISCONNECTED,
    );
    return rows.length;
  }

  /**
   * Reconciliation through the platform's echo, for platforms without a read-back (Meta: the Send API
   * echoes `message.metadata` — our idempotency key, the outbound id — in `message_echoes`). The
   * ingest worker calls this when an echo names an outbound row: the row becomes SENT with the echoed
   * id, so a retry still pending finds it SENT and sends nothing. Answers whether a row was confirmed
   * (false: unknown id, or already SENT); the caller then need not store the echo as a new message.
   */
  async confirmFromEcho(agencyId: string, outboundId: string, externalId: string): Promise<boolean> {
    if (!isUuid(outboundId)) return false;
    return this.db.run(agencyId, async (tx) => {
      const [row] = await tx
        .repo(OutboundMessage)
        .find({ where: { id: outboundId }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.status === 'SENT') return false;
      const sentAt = new Date();
      await tx
        .repo(OutboundMessage)
        .update(
          { id: row.id },
          { status: 'SENT', externalId, sentAt, failureCode: null, failureMessage: null },
        );
      await this.results.report(
        tx,
        { ...row, status: 'SENT', externalId, sentAt },
        { status: 'SENT', externalId, sentAt },
      );
      return true;
    });
  }
}
