import { Injectable } from '@nestjs/common';
import { RequestContext, TenantDb, TenantTx } from '@caredesk/core';
import type { NormalizedDeletion, NormalizedEdit } from '@caredesk/channels';

/**
 * An edit or deletion for a message this channel has not stored yet: the platform delivered it
 * before the message itself (webhooks are not ordered). The ingest processor fails the attempt so
 * it is retried later, when the message has usually arrived; after the last attempt the event is
 * IGNORED rather than FAILED — it changes a message we never had (e.g. one written before the
 * channel was connected), which is nothing for an admin to fix.
 */
export class MessageNotArrivedError extends Error {
  constructor(readonly externalId: string) {
    super(`message ${externalId} has not arrived yet`);
    this.name = 'MessageNotArrivedError';
  }
}

/** Edits and deletions of stored messages, keyed by the platform's message id on the channel. */
@Injectable()
export class MessageChangeService {
  constructor(private readonly db: TenantDb) {}

  /**
   * The newest edit wins: an older edit delivered after a newer one changes nothing. A review's edit
   * may carry a new star rating (none keeps it). An edit that changes neither is no edit (a platform
   * re-stating what we have, e.g. our own Google reply seen again in a review): not marked edited.
   */
  async applyEdit(ctx: RequestContext, channelId: string, edit: NormalizedEdit): Promise<void> {
    await this.db.run(ctx, async (tx) => {
      const changed = await tx.execute(
        `UPDATE messages SET body = $4, rating = COALESCE($6, rating), edited_at = $5, updated_at = now()
          WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3
            AND (edited_at IS NULL OR edited_at <= $5)
            AND (body IS DISTINCT FROM $4 OR rating IS DISTINCT FROM COALESCE($6, rating))`,
        [tx.agencyId, channelId, edit.externalId, edit.body, edit.occurredAt, edit.rating ?? null],
      );
      if (changed === 0) await this.requireArrived(tx, channelId, edit.externalId);
    });
  }

  /** Marks the message deleted (kept, so the conversation still reads); a repeat keeps the first time. */
  async applyDeletion(ctx: RequestContext, channelId: string, deletion: NormalizedDeletion): Promise<void> {
    await this.db.run(ctx, async (tx) => {
      const changed = await tx.execute(
        `UPDATE messages SET deleted_at = COALESCE(deleted_at, $4), updated_at = now()
          WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3`,
        [tx.agencyId, channelId, deletion.externalId, deletion.occurredAt],
      );
      if (changed === 0) throw new MessageNotArrivedError(deletion.externalId);
    });
  }

  private async requireArrived(tx: TenantTx, channelId: string, externalId: string): Promise<void> {
    const [row] = await tx.query(
      `SELECT 1 FROM messages WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3`,
      [tx.agencyId, channelId, externalId],
    );
    if (!row) throw new MessageNotArrivedError(externalId);
  }
}
