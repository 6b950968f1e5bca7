import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Language and sentiment of every inbound message (issue 4, libs/analysis), and of its conversation
 * (the latest inbound message's, so the inbox can filter and sort on them without a join).
 * language: a BCP-47 primary subtag ('en', 'nb', 'sv', …) or NULL when undetected.
 * sentiment_score: -1 (negative) … 1 (positive); sentiment_label: POSITIVE | NEUTRAL | NEGATIVE.
 */
export class MessageAnalysis1764110000000 implements MigrationInterface {
  name = 'MessageAnalysis1764110000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['messages', 'conversations']) {
      await q.query(`ALTER TABLE ${table}
        ADD COLUMN language text,
        ADD COLUMN sentiment_score real CHECK (sentiment_score BETWEEN -1 AND 1),
        ADD COLUMN sentiment_label text CHECK (sentiment_label IN ('POSITIVE','NEUTRAL','NEGATIVE'))`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['messages', 'conversations']) {
      await q.query(`ALTER TABLE ${table}
        DROP COLUMN language, DROP COLUMN sentiment_score, DROP COLUMN sentiment_label`);
    }
  }
}
