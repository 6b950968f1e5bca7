import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, createRoleSql } from '../rls';

/** Owns the inbound sweeper's function; the only role the sweep policy admits. Never logs in. */
export const INBOUND_SWEEPER_ROLE = 'caredesk_inbound_sweeper';

/**
 * Ingest's reads of inbound_events, made robust to a burst (bench/ingest, auto_explain).
 *
 * 1. The PENDING events indexed by agency first: every batch asks for "this agency's oldest fresh
 *    PENDING events" (IngestService.applyBatch takes them along); on received_at alone that was a
 *    walk over every agency's pending rows. The sweeper, which looks across agencies, scans the
 *    pending set through it and sorts; it runs every few seconds and the set is small.
 *
 * 2. The sweeper's policy no longer applies to the application role. It was `FOR SELECT USING
 *    (status = 'PENDING' AND app.sweep = 'inbound')` for every role, so every SELECT of ingest
 *    carried "tenant OR sweep" — and under a burst, when the statistics still say PENDING is rare,
 *    the planner served even a primary-key look-up through that OR and the pending index: ~1,000–
 *    2,600 buffers and 2–4 ms a call instead of a probe per id. The sweep now reads through
 *    inbound_events_stale(), SECURITY DEFINER owned by a NOLOGIN role that the policy names.
 */
export class InboundPendingByAgency1764160000000 implements MigrationInterface {
  name = 'InboundPendingByAgency1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbound_events_pending_idx`);
    await q.query(
      `CREATE INDEX inbound_events_pending_idx ON inbound_events (agency_id, received_at) WHERE status = 'PENDING'`,
    );

    await q.query(createRoleSql(INBOUND_SWEEPER_ROLE));
    await q.query(`GRANT USAGE ON SCHEMA public TO ${INBOUND_SWEEPER_ROLE}`);
    await q.query(
      `GRANT SELECT (agency_id, id, status, received_at) ON inbound_events TO ${INBOUND_SWEEPER_ROLE}`,
    );
    await q.query(`DROP POLICY sweep_pending ON inbound_events`);
    await q.query(`CREATE POLICY sweep_pending ON inbound_events FOR SELECT TO ${INBOUND_SWEEPER_ROLE}
      USING (status = 'PENDING')`);
    // Ids only, never payloads: what the sweeper needs to enqueue the events again.
    await q.query(`CREATE FUNCTION inbound_events_stale(p_after_seconds int, p_limit int)
      RETURNS TABLE (agency_id uuid, event_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
      AS $$ SELECT e.agency_id, e.id FROM inbound_events e
             WHERE e.status = 'PENDING' AND e.received_at < now() - make_interval(secs => p_after_seconds)
             ORDER BY e.received_at LIMIT p_limit $$`);
    await q.query(`ALTER FUNCTION inbound_events_stale(int, int) OWNER TO ${INBOUND_SWEEPER_ROLE}`);
    await q.query(`REVOKE ALL ON FUNCTION inbound_events_stale(int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION inbound_events_stale(int, int) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION inbound_events_stale(int, int)`);
    await q.query(`DROP POLICY sweep_pending ON inbound_events`);
    await q.query(`CREATE POLICY sweep_pending ON inbound_events FOR SELECT USING (
      status = 'PENDING' AND current_setting('app.sweep', true) = 'inbound')`);
    await q.query(`REVOKE ALL ON inbound_events FROM ${INBOUND_SWEEPER_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${INBOUND_SWEEPER_ROLE}`);
    await q.query(`DROP INDEX inbound_events_pending_idx`);
    await q.query(
      `CREATE INDEX inbound_events_pending_idx ON inbound_events (received_at) WHERE status = 'PENDING'`,
    );
  }
}
