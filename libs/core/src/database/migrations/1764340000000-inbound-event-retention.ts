import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, createRoleSql } from '../rls';

/** Owns prune_inbound_events(); the only role its policies admit. Never logs in. */
export const EVENT_PRUNER_ROLE = 'caredesk_event_pruner';

/**
 * Retention of inbound_events, which grew by every webhook delivery for ever (payload included).
 * prune_inbound_events(before, limit) deletes up to `limit` finished rows — PROCESSED or IGNORED —
 * received before `before`, in no particular order, and answers how many. Unfinished rows (PENDING, FAILED,
 * WAITING_FOR_RECONNECT) are never touched: an admin may still retry them, and they hold the
 * attachment bytes they name (1764310000000).
 *
 * Why deleting a finished row is safe: the row's unique key is what turned a platform's re-send into
 * a no-op at intake; a re-send arriving after the row is gone is stored and ingested again, and ingest
 * is idempotent on the platform's message ids (one message per channel and external id), so it
 * changes nothing. The caller keeps the rows longer than any platform re-sends (INBOUND_EVENT_RETENTION_DAYS,
 * at least 7: Google Pub/Sub keeps an unacknowledged message 7 days at most; Meta and X retry for hours).
 *
 * A BRIN index on received_at finds the old rows: rows arrive in received_at order, so the index is a
 * few pages, costs intake nothing measurable, and needs no change when a row's status changes (a
 * B-tree on the finished rows would be written on every status update of ingest). `autosummarize`:
 * each filled block range is summarised as it fills, not at the next VACUUM (an unsummarised range
 * matches every query). Measured on 600,000 rows: a batch of 5,000 reads ~116 buffers, ~2.5 ms.
 * Limit: new rows written into pages freed by deleted ones widen those ranges; should the plan ever
 * read most of the table, a partial B-tree on the finished rows is the fallback.
 *
 * Unscoped by nature: SECURITY DEFINER, owned by a NOLOGIN role whose policies admit finished rows
 * only, like collect_attachment_contents().
 */
export class InboundEventRetention1764340000000 implements MigrationInterface {
  name = 'InboundEventRetention1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX inbound_events_received_brin ON inbound_events USING brin (received_at)
      WITH (autosummarize = on)`);

    const role = EVENT_PRUNER_ROLE;
    await q.query(createRoleSql(role));
    await q.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await q.query(`GRANT SELECT (agency_id, id, status, received_at), DELETE ON inbound_events TO ${role}`);
    const finished = `status IN ('PROCESSED', 'IGNORED')`;
    await q.query(`CREATE POLICY prune_read ON inbound_events FOR SELECT TO ${role} USING (${finished})`);
    await q.query(`CREATE POLICY prune_delete ON inbound_events FOR DELETE TO ${role} USING (${finished})`);
    await q.query(`CREATE FUNCTION prune_inbound_events(p_before timestamptz, p_limit int) RETURNS int
      LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH old AS (
          SELECT agency_id, id FROM inbound_events
           WHERE received_at < p_before AND ${finished}
           LIMIT p_limit
        ), gone AS (
          DELETE FROM inbound_events e USING old
           WHERE e.agency_id = old.agency_id AND e.id = old.id AND e.${finished}
          RETURNING 1
        )
        SELECT count(*)::int FROM gone
      $$`);
    const fn = 'prune_inbound_events(timestamptz, int)';
    await q.query(`ALTER FUNCTION ${fn} OWNER TO ${role}`);
    await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const role = EVENT_PRUNER_ROLE;
    await q.query(`DROP FUNCTION prune_inbound_events(timestamptz, int)`);
    await q.query(`DROP POLICY prune_delete ON inbound_events`);
    await q.query(`DROP POLICY prune_read ON inbound_events`);
    await q.query(`REVOKE ALL ON inbound_events FROM ${role}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${role}`);
    await q.query(`DROP INDEX inbound_events_received_brin`);
  }
}
