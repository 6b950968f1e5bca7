import type { TenantTx } from '@caredesk/core';
import type { NormalizedEdit } from '@caredesk/channels';

/**
 * Edits and deletions that arrived before their message (pending_message_changes, migration
 * 1764260000000). Ingest records one here when the message is not stored; ThreadingService applies
 * it in the statement that inserts the message.
 *
 * The two sides meet on a per-channel advisory lock: every transaction that inserts messages holds it
 * shared from before its INSERT (lockChannelsForInsert), and recording a pending change takes it
 * exclusively and then looks for the message again. So either the message's transaction committed
 * first and the second look finds it, or the pending row committed first and the INSERT's snapshot
 * (taken after the shared lock) reads it. Without the lock, a message inserted but not yet committed
 * and an edit recorded at the same moment would miss each other. Only the rare early change waits;
 * inserts share the lock with each other.
 */
function channelLockKey(agencyId: string, channelId: string): string {
  return `pending-changes:${agencyId}:${channelId}`;
}

/** Before inserting messages on these channels (one statement, hash order). */
export async function lockChannelsForInsert(tx: TenantTx, channelIds: string[]): Promise<void> {
  const keys = [...new Set(channelIds)].map((c) => channelLockKey(tx.agencyId, c));
  await tx.query(
    `SELECT pg_advisory_xact_lock_shared(h)
       FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS locks`,
    [keys],
  );
}

/** Before the second look for a message whose change would otherwise be recorded as pending. */
export async function lockChannelForPendingChange(tx: TenantTx, channelId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    channelLockKey(tx.agencyId, channelId),
  ]);
}

/**
 * What an edit sets on the message, kept as jsonb in the pending row (`edit`) and applied from there
 * by ThreadingService.insertMessages: a field an edit gains goes here and there, no migration.
 */
export function editContent(edit: NormalizedEdit): { body: string; rating: number | null } {
  return { body: edit.body, rating: edit.rating ?? null };
}

/**
 * Merges a change into the message's pending row: the newest edit by the platform's time wins (a tie
 * takes the later delivery, as an edit of a stored message does), the first deletion is kept. The
 * same change delivered twice changes nothing.
 */
export async function recordPendingChange(
  tx: TenantTx,
  channelId: string,
  externalId: string,
  change: { edit: NormalizedEdit } | { deletedAt: Date },
): Promise<void> {
  const edit = 'edit' in change ? change.edit : null;
  await tx.query(
    `INSERT INTO pending_message_changes AS p (agency_id, channel_id, external_id, edit, edited_at, deleted_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     ON CONFLICT (agency_id, channel_id, external_id) DO UPDATE SET
       edit = CASE WHEN EXCLUDED.edited_at >= COALESCE(p.edited_at, '-infinity') THEN EXCLUDED.edit ELSE p.edit END,
       edited_at = CASE WHEN EXCLUDED.edited_at >= COALESCE(p.edited_at, '-infinity')
                        THEN EXCLUDED.edited_at ELSE p.edited_at END,
       deleted_at = LEAST(p.deleted_at, EXCLUDED.deleted_at),
       updated_at = now()`,
    [
      tx.agencyId,
      channelId,
      externalId,
      edit ? JSON.stringify(editContent(edit)) : null,
      edit ? edit.occurredAt : null,
      'deletedAt' in change ? change.deletedAt : null,
    ],
  );
}
