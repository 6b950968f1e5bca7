import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resolving a conversation now ends the customer's wait (`awaiting_reply_since = NULL`), so the
 * LONGEST_WAITING queue lists open work only. Conversations resolved before that kept the time they
 * started waiting and sat at the top of the queue forever (and a reopen counted the wait from weeks
 * before); this clears it. Not reversible in data: `down` has nothing to restore.
 */
export class ResolvedWaitsForNothing1764280000000 implements MigrationInterface {
  name = 'ResolvedWaitsForNothing1764280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE conversations SET awaiting_reply_since = NULL
        WHERE status = 'RESOLVED' AND awaiting_reply_since IS NOT NULL`,
    );
  }

  async down(): Promise<void> {
    // Nothing to undo: the cleared times were wrong.
  }
}
