import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, createRoleSql, tenantTableSql } from '../rls';

/** Owns expire_pending_message_changes(); the only role its policies on pending_message_changes admit. Never logs in. */
export const CHANGE_EXPIRER_ROLE = 'caredesk_change_expirer';

/** How long an edit or deletion waits for its message before it is dropped (a message we never get). */
export const PENDING_CHANGE_TTL = `interval '30 days'`;

/**
 * Edits and deletions that arrived before their message (webhooks are not ordered: the original
 * delivery got a 503 and the platform retried it minutes later). Ingest records them here instead of
 * retrying until it gives up, and threading applies them in the statement that inserts the message,
 * then deletes the row. One row per platform message id on a channel, merged on arrival: the newest
 * edit by the platform's time (its content as jsonb, so an edit that grows a field needs no
 * migration), and the first deletion.
 *
 * Channel-scoped, not brand-scoped: nothing but ingest and threading ever reads it, and both know the
 * channel only. Rows whose message never comes (written before the channel was connected) are deleted
 * after PENDING_CHANGE_TTL by expire_pending_message_changes(), SECURITY DEFINER owned by a NOLOGIN
 * role that the policies name, as attachment_copies_due() is (migration 1764200000000).
 */
export class PendingMessageChanges1764260000000 implements MigrationInterface {
  name = 'PendingMessageChanges1764260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE pending_message_changes (
      agency_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      external_id text NOT NULL,
      edit jsonb,
      edited_at timestamptz,
      deleted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, channel_id, external_id),
      FOREIGN KEY (agency_id, channel_id) REFERENCES channels(agency_id, id),
      CHECK ((edit IS NULL) = (edited_at IS NULL)),
      CHECK (edited_at IS NOT NULL OR deleted_at IS NOT NULL)
    )`);
    await q.query(`CREATE INDEX pending_message_changes_created_idx ON pending_message_changes (created_at)`);
    for (const s of tenantTableSql('pending_message_changes')) await q.query(s);

    const expired = `created_at < now() - ${PENDING_CHANGE_TTL}`;
    await q.query(createRoleSql(CHANGE_EXPIRER_ROLE));
    await q.query(`GRANT USAGE ON SCHEMA public TO ${CHANGE_EXPIRER_ROLE}`);
    await q.query(
      `GRANT SELECT (agency_id, channel_id, external_id, created_at), DELETE ON pending_message_changes TO ${CHANGE_EXPIRER_ROLE}`,
    );
    await q.query(`CREATE POLICY expire_select ON pending_message_changes FOR SELECT TO ${CHANGE_EXPIRER_ROLE}
      USING (${expired})`);
    await q.query(`CREATE POLICY expire_delete ON pending_message_changes FOR DELETE TO ${CHANGE_EXPIRER_ROLE}
      USING (${expired})`);
    await q.query(`CREATE FUNCTION expire_pending_message_changes(p_limit int)
      RETURNS int
      LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
      AS $$ WITH gone AS (
              DELETE FROM pending_message_changes p
               USING (SELECT agency_id, channel_id, external_id FROM pending_message_changes
                       WHERE ${expired} ORDER BY created_at LIMIT p_limit) AS e
               WHERE p.agency_id = e.agency_id AND p.channel_id = e.channel_id AND p.external_id = e.external_id
              RETURNING 1)
            SELECT count(*)::int FROM gone $$`);
    await q.query(`ALTER FUNCTION expire_pending_message_changes(int) OWNER TO ${CHANGE_EXPIRER_ROLE}`);
    await q.query(`REVOKE ALL ON FUNCTION expire_pending_message_changes(int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION expire_pending_message_changes(int) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION expire_pending_message_changes(int)`);
    await q.query(`DROP TABLE pending_message_changes`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${CHANGE_EXPIRER_ROLE}`);
  }
}
