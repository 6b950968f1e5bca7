import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../rls';

/**
 * Webhook intake in ONE statement (issue 3's accept latency): route every entry of a group commit
 * through channel_routes and insert it into inbound_events, agency by agency, in a single call —
 * one round trip and one implicit transaction (one WAL flush) instead of a route query followed by
 * BEGIN, set_config + INSERT per agency, COMMIT.
 *
 * Runs as the caller (caredesk_app, RLS enforced — not SECURITY DEFINER): for each agency named by
 * the routes it sets app.agency_id transaction-locally and inserts only that agency's rows, so the
 * tenant policy's WITH CHECK admits exactly them. Must be called as a statement of its own (never
 * inside an open transaction: it re-tenants it).
 *
 * p_batch: a JSON array of {n, id, platform, account, key, payload}. Returns one row per routed entry:
 * its n, the agency, and whether it was inserted (false: already stored, a platform retry). Entries
 * whose account has no route are not returned.
 */
export class InboundIntakeFunction1764150000000 implements MigrationInterface {
  name = 'InboundIntakeFunction1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION intake_inbound_events(p_batch jsonb)
      RETURNS TABLE (n int, agency_id uuid, inserted boolean)
      LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
      -- The result columns (n, agency_id, inserted) are variables too; in SQL below a name means the column.
      #variable_conflict use_column
      DECLARE
        a uuid;
      BEGIN
        FOR a IN
          SELECT DISTINCT r.agency_id
            FROM jsonb_to_recordset(p_batch) AS e(platform text, account text)
            JOIN channel_routes r ON r.platform = e.platform AND r.external_account_id = e.account
           ORDER BY 1
        LOOP
          PERFORM set_config('app.agency_id', a::text, true);
          RETURN QUERY
            WITH e AS (
              SELECT e.n, e.id, e.platform, e.key, e.payload, r.brand_id, r.channel_id
                FROM jsonb_to_recordset(p_batch)
                       AS e(n int, id uuid, platform text, account text, key text, payload jsonb)
                JOIN channel_routes r ON r.platform = e.platform AND r.external_account_id = e.account
               WHERE r.agency_id = a
            ), ins AS (
              INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload)
              SELECT a, e.id, e.brand_id, e.channel_id, e.platform, e.key, e.payload
                FROM e
               -- One order for every call, so two batches inserting the same keys wait on each
               -- other instead of deadlocking.
               ORDER BY e.platform, e.key
              ON CONFLICT (agency_id, platform, event_key) DO NOTHING
              RETURNING inbound_events.id
            )
            SELECT e.n, a, ins.id IS NOT NULL FROM e LEFT JOIN ins ON ins.id = e.id;
        END LOOP;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION intake_inbound_events(jsonb) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION intake_inbound_events(jsonb) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION intake_inbound_events(jsonb)`);
  }
}
