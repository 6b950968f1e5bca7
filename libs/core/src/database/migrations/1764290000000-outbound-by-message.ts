import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * outbound_messages looked up by the message they send or moderate: recording a send merges the
 * platform's echo only if no outbound row sends that echo (NOT EXISTS … message_id, see
 * MessageStatusHandler.mergeEcho), which without an index read every outbound row of the agency.
 */
export class OutboundByMessage1764290000000 implements MigrationInterface {
  name = 'OutboundByMessage1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX outbound_messages_message_idx ON outbound_messages (agency_id, message_id)
        WHERE message_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_messages_message_idx`);
  }
}
