import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, createRoleSql } from '../rls';

/** Owns the attachment copy sweeper's function; the only role its policy on messages admits. Never logs in. */
export const COPY_SWEEPER_ROLE = 'caredesk_copy_sweeper';

/**
 * Messages with platform files whose copy is still to be made (or to be given up), so a lost copy
 * job is found again like a lost ingest job: `attachments_to_copy` is set by ingest for a message with
 * a file on a copy host and cleared by the copy job once every such file is copied or marked
 * `notCopied`. A partial index holds just those rows, so the sweeper reads a short list whatever the
 * size of `messages`.
 *
 * The sweep reads across agencies through attachment_copies_due(), SECURITY DEFINER owned by a NOLOGIN
 * role that the policy names (ids only) — not a policy for the application role, which would ride
 * along on every read of messages (see 1764160000000).
 *
 * Backfill: messages stored before copies existed, with a file that has a URL and is neither copied
 * nor marked (the copy job checks the host list and clears the flag of the rest).
 */
export const FILES_TO_COPY = `EXISTS (SELECT 1 FROM jsonb_array_elements(attachments) a
   WHERE a->>'type' <> 'LINK' AND coalesce(a->>'url', '') <> ''
     AND NOT a ? 'contentId' AND NOT a ? 'notCopied')`;

export class AttachmentCopiesDue1764200000000 implements MigrationInterface {
  name = 'AttachmentCopiesDue1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN attachments_to_copy boolean NOT NULL DEFAULT false`);
    // Runs as the owner, which bypasses RLS in our deployments (superuser or BYPASSRLS).
    await q.query(
      `UPDATE messages SET attachments_to_copy = true WHERE attachments <> '[]'::jsonb AND ${FILES_TO_COPY}`,
    );
    await q.query(
      `CREATE INDEX messages_attachments_to_copy_idx ON messages (created_at) WHERE attachments_to_copy`,
    );

    await q.query(createRoleSql(COPY_SWEEPER_ROLE));
    await q.query(`GRANT USAGE ON SCHEMA public TO ${COPY_SWEEPER_ROLE}`);
    await q.query(
      `GRANT SELECT (agency_id, id, created_at, attachments_to_copy) ON messages TO ${COPY_SWEEPER_ROLE}`,
    );
    await q.query(`CREATE POLICY copy_sweep ON messages FOR SELECT TO ${COPY_SWEEPER_ROLE}
      USING (attachments_to_copy)`);
    await q.query(`CREATE FUNCTION attachment_copies_due(p_after_seconds int, p_limit int)
      RETURNS TABLE (agency_id uuid, message_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
      AS $$ SELECT m.agency_id, m.id FROM messages m
             WHERE m.attachments_to_copy AND m.created_at < now() - make_interval(secs => p_after_seconds)
             ORDER BY m.created_at LIMIT p_limit $$`);
    await q.query(`ALTER FUNCTION attachment_copies_due(int, int) OWNER TO ${COPY_SWEEPER_ROLE}`);
    await q.query(`REVOKE ALL ON FUNCTION attachment_copies_due(int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION attachment_copies_due(int, int) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION attachment_copies_due(int, int)`);
    await q.query(`DROP POLICY copy_sweep ON messages`);
    await q.query(`REVOKE ALL ON messages FROM ${COPY_SWEEPER_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${COPY_SWEEPER_ROLE}`);
    await q.query(`ALTER TABLE messages DROP COLUMN attachments_to_copy`);
  }
}
