import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An inbound event that must be read through its channel (a Google review, an Instagram mention)
 * while the platform refuses the channel's token waits for the reconnect instead of failing:
 * status WAITING_FOR_RECONNECT, like the outbox's replies. ChannelService.reconnect puts a channel's
 * waiting events back to PENDING (the index finds them) and enqueues them; the sweeper, which looks
 * at PENDING only, leaves them alone meanwhile.
 */
export class InboundWaitingForReconnect1764170000000 implements MigrationInterface {
  name = 'InboundWaitingForReconnect1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_events DROP CONSTRAINT inbound_events_status_check`);
    await q.query(`ALTER TABLE inbound_events ADD CONSTRAINT inbound_events_status_check
      CHECK (status IN ('PENDING','PROCESSED','FAILED','IGNORED','WAITING_FOR_RECONNECT'))`);
    await q.query(`CREATE INDEX inbound_events_waiting_idx ON inbound_events (agency_id, channel_id)
      WHERE status = 'WAITING_FOR_RECONNECT'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbound_events_waiting_idx`);
    await q.query(`UPDATE inbound_events SET status = 'PENDING' WHERE status = 'WAITING_FOR_RECONNECT'`);
    await q.query(`ALTER TABLE inbound_events DROP CONSTRAINT inbound_events_status_check`);
    await q.query(`ALTER TABLE inbound_events ADD CONSTRAINT inbound_events_status_check
      CHECK (status IN ('PENDING','PROCESSED','FAILED','IGNORED'))`);
  }
}
