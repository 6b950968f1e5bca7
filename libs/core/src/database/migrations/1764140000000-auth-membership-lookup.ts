import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../rls';

/**
 * The membership behind an access token, read on every authenticated request, in ONE statement
 * rather than a tenant transaction (BEGIN, set_config, two reads, COMMIT): the inbox's page budget
 * is six statements per request, and this lookup was five of them.
 *
 * Runs as the caller (caredesk_app, RLS enforced — not SECURITY DEFINER): it sets app.agency_id
 * transaction-locally and then reads, in that order (PL/pgSQL runs its statements in sequence).
 * Called as a statement of its own, the setting lives only in that statement's implicit
 * transaction; it must never be called inside an open transaction (it would re-tenant it).
 */
export class AuthMembershipLookup1764140000000 implements MigrationInterface {
  name = 'AuthMembershipLookup1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION auth_membership(p_agency uuid, p_user uuid)
      RETURNS TABLE (membership_id uuid, role text, all_brands boolean, require_two_factor boolean,
                     password_changed_at timestamptz, brand_ids uuid[])
      LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM set_config('app.agency_id', p_agency::text, true);
        RETURN QUERY
          SELECT m.id, m.role::text, m.all_brands, a.require_two_factor, u.password_changed_at,
                 CASE WHEN m.all_brands THEN NULL ELSE ARRAY(
                   SELECT mb.brand_id FROM membership_brands mb
                    WHERE mb.agency_id = m.agency_id AND mb.membership_id = m.id) END
            FROM memberships m
            JOIN agencies a ON a.id = m.agency_id
            JOIN users u ON u.id = m.user_id
           WHERE m.agency_id = p_agency AND m.user_id = p_user;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION auth_membership(uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION auth_membership(uuid, uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION auth_membership(uuid, uuid)`);
  }
}
