import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, createRoleSql } from '../rls';

/** Owns collect_attachment_contents(); the only role its policies admit. Never logs in. */
export const CONTENT_COLLECTOR_ROLE = 'caredesk_content_collector';

/**
 * How long stored bytes are left alone whatever names them: the intake stores a mail's attachments
 * before its inbound_events row commits, and the copy job stores a platform file before it records the
 * content id on the message. Both take seconds; the store touches `created_at` every time
 * (AttachmentContentStore), so this is the age since the bytes were last stored, not first.
 */
export const CONTENT_GRACE = `interval '1 day'`;

/** The content ids a message's attachments name, as a jsonb array of strings: what the index holds. */
const contentIds = (attachments: string) => `jsonb_path_query_array(${attachments}, '$[*].contentId')`;

/** Stored longer ago than CONTENT_GRACE. */
const aged = (createdAt: string) => `${createdAt} < now() - ${CONTENT_GRACE}`;

/**
 * Garbage collection of attachment_contents (migration 1764190000000), which nothing deleted: bytes
 * whose mail was refused after they were stored, or whose messages are gone, stayed for ever.
 * collect_attachment_contents() walks the table in primary-key order, one window of p_limit rows per
 * call after the given key (the caller keeps the cursor), and deletes each row of the window that is
 * - older than CONTENT_GRACE, and
 * - not named by a PENDING, FAILED (an admin may retry it) or WAITING_FOR_RECONNECT inbound event of
 *   its agency and brand — anywhere in the payload, as `contentId` (InboundDelivery.contents), and
 * - not named by any message of its agency and brand (`attachments[].contentId`).
 * Rows of another agency or brand with the same hash are judged on their own references.
 *
 * WHY IT CANNOT DELETE BYTES SOMETHING IS ABOUT TO NAME. Bytes come to be named only (a) by an event
 * committed right after its intake stored them, (b) by a message that ingest inserts in the transaction
 * that finishes the event naming them, or (c) by a message the copy job updates right after storing
 * them. Storing is an upsert that sets created_at = now(), so in (a) and (c) the row is young, or the
 * upsert waits on the row lock of a DELETE in progress and then inserts the bytes again. In (b) the
 * reference passes from the event to the message atomically, and the events are read (the window's
 * snapshot) before the messages (each DELETE's own, later snapshot): whichever side of the handover a
 * snapshot falls on, one of the two reads sees the reference. (Reading them the other way round would
 * miss an event finished between the two reads.) The delete re-checks age and messages in its own
 * statement, so a row stored again after the window was read is young by then.
 *
 * Locks: a call deletes in key order and holds its row locks until it returns (one window: tens of
 * milliseconds). The intake stores one delivery's contents in hash order, so it and a call never wait
 * on each other in a cycle.
 *
 * PLANS. Each candidate is one DELETE with its own NOT EXISTS on messages, served by the GIN index
 * below (a probe per row; as one anti join over the window the planner, which cannot estimate a
 * containment on a parameter, chose a sequential scan of messages: 26,000 buffers and ~0.6 s a window
 * against 1,000,000 messages, where the probes take ~25 ms). The events are read once per window, from
 * the three partial status indexes (one arm each). `jit = off`: the estimate of the jsonpath
 * set-returning function set JIT compiling off at ~0.7 s for a statement that runs in milliseconds.
 *
 * Unscoped by nature, so SECURITY DEFINER owned by a NOLOGIN role that the policies name, like
 * expire_pending_message_changes() (migration 1764260000000); its delete policy holds the grace
 * period too, and it reads ids, statuses, attachments and payloads — never bytes.
 */
export class AttachmentContentCollection1764310000000 implements MigrationInterface {
  name = 'AttachmentContentCollection1764310000000';

  async up(q: QueryRunner): Promise<void> {
    // Only messages with attachments (most have none), and per message only the content ids.
    await q.query(`CREATE INDEX messages_content_ids_idx ON messages
      USING gin ((${contentIds('attachments')}) jsonb_path_ops) WHERE attachments <> '[]'::jsonb`);

    const role = CONTENT_COLLECTOR_ROLE;
    await q.query(createRoleSql(role));
    await q.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await q.query(
      `GRANT SELECT (agency_id, brand_id, sha256, size, created_at), DELETE ON attachment_contents TO ${role}`,
    );
    await q.query(`GRANT SELECT (agency_id, brand_id, attachments) ON messages TO ${role}`);
    await q.query(`GRANT SELECT (agency_id, brand_id, status, payload) ON inbound_events TO ${role}`);
    await q.query(`CREATE POLICY collect_read ON attachment_contents FOR SELECT TO ${role} USING (true)`);
    await q.query(
      `CREATE POLICY collect_delete ON attachment_contents FOR DELETE TO ${role} USING (${aged('created_at')})`,
    );
    await q.query(`CREATE POLICY collect_read ON messages FOR SELECT TO ${role} USING (true)`);
    await q.query(`CREATE POLICY collect_read ON inbound_events FOR SELECT TO ${role}
      USING (status IN ('PENDING', 'FAILED', 'WAITING_FOR_RECONNECT'))`);

    const unfinished = (status: string) => `SELECT e.payload FROM inbound_events e
               WHERE e.agency_id = b.agency_id AND e.brand_id = b.brand_id AND e.status = '${status}'`;
    await q.query(`CREATE FUNCTION collect_attachment_contents(
        p_after_agency uuid, p_after_brand uuid, p_after_sha256 text, p_limit int)
      RETURNS TABLE (examined int, deleted int, deleted_bytes bigint,
                     last_agency_id uuid, last_brand_id uuid, last_sha256 text)
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp SET jit = off AS $$
      DECLARE
        r record;
        v_size int;
      BEGIN
        examined := 0;
        deleted := 0;
        deleted_bytes := 0;
        FOR r IN
          WITH win AS (
            SELECT c.agency_id, c.brand_id, c.sha256, c.created_at FROM attachment_contents c
             WHERE (c.agency_id, c.brand_id, c.sha256) > (
                     coalesce(p_after_agency, '00000000-0000-0000-0000-000000000000'),
                     coalesce(p_after_brand, '00000000-0000-0000-0000-000000000000'),
                     coalesce(p_after_sha256, ''))
             ORDER BY c.agency_id, c.brand_id, c.sha256
             LIMIT p_limit
          ), held AS (
            SELECT DISTINCT b.agency_id, b.brand_id, ref #>> '{}' AS sha256
              FROM (SELECT DISTINCT w.agency_id, w.brand_id FROM win w) b
              CROSS JOIN LATERAL (
                ${unfinished('PENDING')}
                UNION ALL
                ${unfinished('FAILED')}
                UNION ALL
                ${unfinished('WAITING_FOR_RECONNECT')}
              ) e
              CROSS JOIN LATERAL jsonb_path_query(e.payload, 'lax $.**.contentId') ref
          )
          SELECT w.agency_id, w.brand_id, w.sha256, (${aged('w.created_at')} AND h.sha256 IS NULL) AS candidate
            FROM win w
            LEFT JOIN held h ON h.agency_id = w.agency_id AND h.brand_id = w.brand_id AND h.sha256 = w.sha256
           ORDER BY w.agency_id, w.brand_id, w.sha256
        LOOP
          examined := examined + 1;
          last_agency_id := r.agency_id;
          last_brand_id := r.brand_id;
          last_sha256 := r.sha256;
          CONTINUE WHEN NOT r.candidate;
          DELETE FROM attachment_contents c
           WHERE c.agency_id = r.agency_id AND c.brand_id = r.brand_id AND c.sha256 = r.sha256
             AND ${aged('c.created_at')}
             AND NOT EXISTS (
               SELECT 1 FROM messages m
                WHERE m.agency_id = c.agency_id AND m.brand_id = c.brand_id
                  AND m.attachments <> '[]'::jsonb
                  AND ${contentIds('m.attachments')} @> jsonb_build_array(c.sha256))
          RETURNING c.size INTO v_size;
          IF FOUND THEN
            deleted := deleted + 1;
            deleted_bytes := deleted_bytes + v_size;
          END IF;
        END LOOP;
        RETURN NEXT;
      END $$`);
    const fn = 'collect_attachment_contents(uuid, uuid, text, int)';
    await q.query(`ALTER FUNCTION ${fn} OWNER TO ${role}`);
    await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const role = CONTENT_COLLECTOR_ROLE;
    await q.query(`DROP FUNCTION collect_attachment_contents(uuid, uuid, text, int)`);
    await q.query(`DROP POLICY collect_read ON inbound_events`);
    await q.query(`DROP POLICY collect_read ON messages`);
    await q.query(`DROP POLICY collect_delete ON attachment_contents`);
    await q.query(`DROP POLICY collect_read ON attachment_contents`);
    await q.query(`REVOKE ALL ON inbound_events FROM ${role}`);
    await q.query(`REVOKE ALL ON messages FROM ${role}`);
    await q.query(`REVOKE ALL ON attachment_contents FROM ${role}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${role}`);
    await q.query(`DROP INDEX messages_content_ids_idx`);
  }
}
