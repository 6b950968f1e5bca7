import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a connector needs later to answer (or moderate) a message — comment id, media id, review name,
 * Message-ID, subject — as its normalize() gave it (NormalizedMessage.replyContext). Without it a
 * reply would have to be re-derived from ids, which fails where a platform needs more (an Instagram
 * mention's media id, an email's subject).
 */
export class MessageReplyContext1764020000000 implements MigrationInterface {
  name = 'MessageReplyContext1764020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN reply_context jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN reply_context`);
  }
}
