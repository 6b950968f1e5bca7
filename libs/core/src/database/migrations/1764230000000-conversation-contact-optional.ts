import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A conversation the brand starts (its own comment, which names no customer) has no contact until a
 * customer writes in it: the brand is never a contact of its own. Ingest sets contact_id with the
 * first customer message (ThreadingService.touchConversations); every reader treats null as "no
 * customer yet". The foreign key (agency_id, contact_id) is MATCH SIMPLE, so a null is not checked.
 * No policy or grant changes: the column, its table's RLS and caredesk_app's grants stay as they are.
 */
export class ConversationContactOptional1764230000000 implements MigrationInterface {
  name = 'ConversationContactOptional1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations ALTER COLUMN contact_id DROP NOT NULL`);
  }

  /** Fails while a conversation still has no customer; resolve or delete those first. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations ALTER COLUMN contact_id SET NOT NULL`);
  }
}
