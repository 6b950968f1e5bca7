import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A conversation's messages in the order they were written, not received: deliveries arrive out of
 * order (and one ingest batch stores several with the same `created_at`), so message lists, "the
 * customer's latest message" (what a reply answers, what suggestions are for) and their paging go by
 * `written_at` = the platform's time, or for a reply not yet sent, when it was queued.
 * Its index replaces messages_conversation_idx (same leading columns, so it serves every look-up by
 * conversation that one did, and ingest still maintains one index for it).
 */
export class MessagesInWrittenOrder1764180000000 implements MigrationInterface {
  name = 'MessagesInWrittenOrder1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN written_at timestamptz NOT NULL
      GENERATED ALWAYS AS (coalesce(platform_created_at, created_at)) STORED`);
    await q.query(
      `CREATE INDEX messages_conversation_written_idx ON messages (agency_id, conversation_id, written_at, id)`,
    );
    await q.query(`DROP INDEX messages_conversation_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX messages_conversation_idx ON messages (agency_id, conversation_id, created_at, id)`,
    );
    await q.query(`ALTER TABLE messages DROP COLUMN written_at`); // drops its index too
  }
}
