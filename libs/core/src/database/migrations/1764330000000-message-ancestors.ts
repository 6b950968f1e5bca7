import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ids of the earlier messages a message names as its thread (NormalizedMessage.ancestorExternalIds:
 * an email's In-Reply-To and References, nearest first). A mail joins the conversation of any stored
 * ancestor, not only of its first References entry, since clients trim References; and when a mail
 * arrives after one that names it, ingest finds that one through this column and folds the two
 * conversations together (ThreadingService, stranded-replies.ts). The look-up is "which stored messages
 * name one of these ids": a GIN index on the array. Partial: only mails name ancestors, so the rest of
 * ingest (DMs, comments) adds no index entry.
 *
 * Backfill: mails stored before, from their reply context (their References plus their own id, which
 * is left out) and their In-Reply-To (parent_external_id), nearest first, capped like the normalizer
 * (MAX_THREAD_ANCESTORS: the eight nearest and the root). Runs as the owner, which bypasses RLS in our
 * deployments (superuser or BYPASSRLS).
 */
export class MessageAncestors1764330000000 implements MigrationInterface {
  name = 'MessageAncestors1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN ancestor_external_ids text[]`);
    await q.query(`
      WITH named AS (
        SELECT m.agency_id, m.id, n.ref, min(n.rank) AS rank
          FROM messages m
          CROSS JOIN LATERAL (
            SELECT m.parent_external_id, 0::bigint
            UNION ALL
            SELECT r.ref, 1000000 - r.ord
              FROM unnest(string_to_array(m.reply_context->>'references', ' ')) WITH ORDINALITY AS r(ref, ord)
          ) AS n(ref, rank)
         WHERE m.reply_context ? 'references' AND n.ref <> '' AND n.ref IS DISTINCT FROM m.external_id
         GROUP BY m.agency_id, m.id, n.ref
      ), ranked AS (
        SELECT agency_id, id, ref, row_number() OVER w AS rn, count(*) OVER w_all AS n
          FROM named
        WINDOW w AS (PARTITION BY agency_id, id ORDER BY rank), w_all AS (PARTITION BY agency_id, id)
      )
      UPDATE messages m SET ancestor_external_ids = a.ids
        FROM (SELECT agency_id, id, array_agg(ref ORDER BY rn) AS ids
                FROM ranked WHERE rn < 9 OR rn = n GROUP BY agency_id, id) AS a
       WHERE m.agency_id = a.agency_id AND m.id = a.id`);
    await q.query(`CREATE INDEX messages_ancestors_idx ON messages USING gin (ancestor_external_ids)
      WHERE ancestor_external_ids IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS messages_ancestors_idx`);
    await q.query(`ALTER TABLE messages DROP COLUMN ancestor_external_ids`);
  }
}
