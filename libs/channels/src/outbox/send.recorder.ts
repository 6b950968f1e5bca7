import { Injectable } from '@nestjs/common';
import { TenantDb, TenantTx } from '@caredesk/core';
import { ChannelTokenExpiry } from '../channel-token-expiry';
import { Channel } from '../channel.entity';
import { ChannelStatus } from '../platform';
import { CHANNEL_DISCONNECTED, failOutbound } from './outbound-failure';
import { OutboundMessage } from './outbound-message.entity';
import { OutboundFailureCode, OutboundResultRegistry } from './outbound-result.registry';

export interface SendClaim {
  row: OutboundMessage;
  channel: Channel;
  /** Calls started before this one: > 0 means an earlier answer may have been lost. */
  previousAttempts: number;
}

/**
 * The short transactions around a platform call. The call itself happens between them, outside any
 * transaction: a slow platform must not hold a database connection or row locks.
 */
@Injectable()
export class SendRecorder {
  constructor(
    private readonly db: TenantDb,
    private readonly results: OutboundResultRegistry,
    private readonly tokenExpiry: ChannelTokenExpiry,
  ) {}

  /**
   * Marks the row SENDING and counts the attempt, or answers null when there is nothing to do: the
   * row is already SENT (bull re-ran a job whose worker died after success), FAILED, or waiting; or
   * its channel cannot send now: one that NEEDS_RECONNECT parks the row until an admin reconnects
   * it; a channel that is gone or DISCONNECTED (its secrets wiped) fails it CHANNEL_UNAVAILABLE, so
   * the reply does not stay QUEUED with nothing to tell the agent.
   */
  async claim(agencyId: string, outboundId: string): Promise<SendClaim | null> {
    return this.db.run(agencyId, async (tx) => {
      const [row] = await tx
        .repo(OutboundMessage)
        .find({ where: { id: outboundId }, lock: { mode: 'pessimistic_write' } });
      if (!row || (row.status !== 'QUEUED' && row.status !== 'SENDING')) return null;
      const channel = await tx.repo(Channel).findOneBy({ id: row.channelId });
      if (channel?.status !== ChannelStatus.ACTIVE) {
        await this.parkOrFail(tx, row.id, channel?.status ?? null);
        return null;
      }
      const previousAttempts = row.attempts;
      await tx
        .repo(OutboundMessage)
        .update({ id: row.id }, { status: 'SENDING', attempts: previousAttempts + 1 });
      return {
        row: { ...row, status: 'SENDING', attempts: previousAttempts + 1 },
        channel,
        previousAttempts,
      };
    });
  }

  async sent(agencyId: string, outboundId: string, externalId: string | null): Promise<void> {
    const sentAt = new Date();
    await this.db.run(agencyId, async (tx) => {
      await tx
        .repo(OutboundMessage)
        .update(
          { id: outboundId },
          { status: 'SENT', externalId, sentAt, failureCode: null, failureMessage: null },
        );
      const row = (await tx.repo(OutboundMessage).findOneBy({ id: outboundId }))!;
      await this.results.report(tx, row, { status: 'SENT', externalId, sentAt });
    });
  }

  async failed(
    agencyId: string,
    outboundId: string,
    code: OutboundFailureCode,
    message: string,
  ): Promise<void> {
    await this.db.run(agencyId, (tx) => this.failIn(tx, outboundId, code, message));
  }

  private failIn(tx: TenantTx, outboundId: string, code: OutboundFailureCode, message: string) {
    return failOutbound(tx, this.results, [outboundId], code, message);
  }

  /** Back to QUEUED for a retry not before `notBefore` (the sweeper respects it). */
  async requeue(agencyId: string, outboundId: string, notBefore: Date, reason: string): Promise<void> {
    await this.db.run(agencyId, (tx) =>
      tx
        .repo(OutboundMessage)
        .update(
          { id: outboundId },
          { status: 'QUEUED', nextAttemptAt: notBefore, failureMessage: reason.slice(0, 1000) },
        ),
    );
  }

  /**
   * The channel stopped being ACTIVE during the send (a token refresh waited for it): decided as
   * `claim` decides (parkOrFail).
   */
  async channelNotActive(agencyId: string, outboundId: string): Promise<void> {
    await this.db.run(agencyId, async (tx) => {
      const [row] = await tx.query<{ status: string | null }>(
        `SELECT c.status FROM outbound_messages o LEFT JOIN channels c ON c.agency_id = o.agency_id AND c.id = o.channel_id
          WHERE o.agency_id = $1 AND o.id = $2`,
        [tx.agencyId, outboundId],
      );
      await this.parkOrFail(tx, outboundId, row?.status ?? null);
    });
  }

  /**
   * A send whose channel is not ACTIVE (`status` null: the channel is gone): a DISCONNECTED or gone
   * channel can never send it (its secrets are wiped) → FAILED CHANNEL_UNAVAILABLE; any other
   * (NEEDS_RECONNECT) parks it until an admin reconnects the channel.
   */
  private async parkOrFail(tx: TenantTx, outboundId: string, status: string | null): Promise<void> {
    if (!status || status === ChannelStatus.DISCONNECTED) {
      await this.failIn(tx, outboundId, 'CHANNEL_UNAVAILABLE', CHANNEL_DISCONNECTED);
    } else {
      await tx.repo(OutboundMessage).update({ id: outboundId }, { status: 'WAITING_FOR_RECONNECT' });
    }
  }

  /**
   * The platform refused the channel's token: the channel needs reconnecting (ChannelTokenExpiry:
   * admins are mailed once), and this send plus every other queued send of the channel wait for it
   * (sending them would only fail the same way).
   */
  async authExpired(agencyId: string, channelId: string, outboundId: string, reason: string): Promise<void> {
    await this.db.run(agencyId, async (tx) => {
      await this.tokenExpiry.markNeedsReconnect(tx, channelId);
      await tx.execute(
        `UPDATE outbound_messages SET status = 'WAITING_FOR_RECONNECT', failure_code = 'AUTH_EXPIRED',
                failure_message = $4, updated_at = now()
          WHERE agency_id = $1 AND channel_id = $2 AND (id = $3 OR status = 'QUEUED')`,
        [agencyId, channelId, outboundId, reason.slice(0, 1000)],
      );
    });
  }
}
