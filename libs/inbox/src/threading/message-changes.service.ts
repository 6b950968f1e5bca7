import { Injectable } from '@nestjs/common';
import { RequestContext, TenantDb, TenantTx } from '@caredesk/core';
import type { NormalizedDeletion, NormalizedEdit } from '@caredesk/channels';
import { LiveEvents } from '../live/live-events';
import { lockChannelForPendingChange, recordPendingChange } from './pending-changes';

/**
 * Edits and deletions of stored messages, keyed by the platform's message id on the channel. One
 * whose message has not arrived yet (webhooks are not ordered: the platform retried the message's
 * delivery later) is kept as a pending change and applied when the message is inserted
 * (pending-changes.ts), so its event is PROCESSED now instead of retried until it is given up.
 */
@Injectable()
export class MessageChangeService {
  constructor(
    private readonly db: TenantDb,
    private readonly live: LiveEvents,
  ) {}

  /**
   * The newest edit wins: an older edit delivered after a newer one changes nothing. A review's edit
   * may carry a new star rating (none keeps it). An edit that changes neither is no edit (a platform
   * re-stating what we have, e.g. our own Google reply seen again in a review): not marked edited.
   */
  async applyEdit(ctx: RequestContext, channelId: string, edit: NormalizedEdit): Promise<void> {
    await this.db.run(ctx, async (tx) => {
      const apply = () =>
        this.changed(
          tx,
          'EDITED',
          `UPDATE messages SET body = $4, rating = COALESCE($6, rating), edited_at = $5, updated_at = now()
            WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3
              AND (edited_at IS NULL OR edited_at <= $5)
              AND (body IS DISTINCT FROM $4 OR rating IS DISTINCT FROM COALESCE($6, rating))`,
          [tx.agencyId, channelId, edit.externalId, edit.body, edit.occurredAt, edit.rating ?? null],
        );
      if ((await apply()) > 0) return;
      await this.applyOrKeep(tx, channelId, edit.externalId, apply, { edit });
    });
  }

  /** Marks the message deleted (kept, so the conversation still reads); a repeat keeps the first time. */
  async applyDeletion(ctx: RequestContext, channelId: string, deletion: NormalizedDeletion): Promise<void> {
    await this.db.run(ctx, async (tx) => {
      const apply = () =>
        this.changed(
          tx,
          'DELETED',
          `UPDATE messages SET deleted_at = $4, updated_at = now()
            WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3 AND deleted_at IS NULL`,
          [tx.agencyId, channelId, deletion.externalId, deletion.occurredAt],
        );
      if ((await apply()) > 0) return;
      await this.applyOrKeep(tx, channelId, deletion.externalId, apply, { deletedAt: deletion.occurredAt });
    });
  }

  /**
   * The change touched no row: the message is missing, or (an edit) it holds a newer one or the same
   * content. A stored message (also one committed since the UPDATE) gets the change tried once more,
   * without a lock: a repeated edit is common (platforms retry), and the channel's pending-change
   * lock holds off all of the channel's inserts. Only a missing message takes that lock; under it a
   * message inserted meanwhile is committed and visible, so the change is applied or kept for it.
   */
  private async applyOrKeep(
    tx: TenantTx,
    channelId: string,
    externalId: string,
    apply: () => Promise<number>,
    change: Parameters<typeof recordPendingChange>[3],
  ): Promise<void> {
    // Committed between the change's UPDATE and this look: visible now, so apply needs no lock.
    if (await this.isStored(tx, channelId, externalId)) {
      await apply();
      return;
    }
    await lockChannelForPendingChange(tx, channelId);
    if (await this.isStored(tx, channelId, externalId)) await apply();
    else await recordPendingChange(tx, channelId, externalId, change);
  }

  /**
   * Runs a change's UPDATE and answers how many messages it changed; the dashboards showing them are
   * told after commit (MESSAGE_UPDATED), so an edit or deletion on the platform shows without a reload.
   */
  private async changed(tx: TenantTx, change: string, sql: string, params: unknown[]): Promise<number> {
    const rows = await tx.returning<{ id: string; brandId: string; conversationId: string }>(
      `${sql} RETURNING id, brand_id AS "brandId", conversation_id AS "conversationId"`,
      params,
    );
    const agencyId = tx.agencyId;
    for (const r of rows) {
      const e = { brandId: r.brandId, conversationId: r.conversationId, messageId: r.id, change };
      tx.afterCommit(() => this.live.messageUpdated(agencyId, e));
    }
    return rows.length;
  }

  private async isStored(tx: TenantTx, channelId: string, externalId: string): Promise<boolean> {
    const [stored] = await tx.query(
      `SELECT 1 FROM messages WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3`,
      [tx.agencyId, channelId, externalId],
    );
    return !!stored;
  }
}
