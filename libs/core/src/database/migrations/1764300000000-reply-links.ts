import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reply stored before the message it answers (an X mention, an email naming only In-Reply-To) starts
 * a conversation of its own; when that message is stored, ingest folds the reply's conversation into
 * the message's (ThreadingService, stranded-replies.ts). Two look-ups need an index:
 * - a new message's stored replies, by (agency, channel, parent_external_id), once per ingest batch of
 *   mentions or mails. Partial: DMs (the bulk of ingest) name no parent, so they add no index entry;
 * - the conversations linked to one being folded away (a private reply's DM), so none is left
 *   pointing at a removed row. Partial: few conversations are linked.
 */
export class ReplyLinks1764300000000 implements MigrationInterface {
  name = 'ReplyLinks1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX messages_parent_idx ON messages (agency_id, channel_id, parent_external_id)
      WHERE parent_external_id IS NOT NULL`);
    await q.query(`CREATE INDEX conversations_linked_idx ON conversations (agency_id, linked_conversation_id)
      WHERE linked_conversation_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS conversations_linked_idx`);
    await q.query(`DROP INDEX IF EXISTS messages_parent_idx`);
  }
}
