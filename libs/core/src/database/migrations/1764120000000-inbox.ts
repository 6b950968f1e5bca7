import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, tenantTableSql } from '../rls';

/**
 * The inbox (issue 4): what the conversation list shows and filters on without extra queries, teams,
 * tags, internal notes, and the indexes behind the list's filters and sorts.
 *
 * conversations.last_message_id / awaiting_reply_since are maintained wherever messages are written
 * (ingest, replies): awaiting_reply_since is the time of the first INBOUND message not yet answered
 * (set when NULL, cleared by an OUTBOUND message), so "longest waiting" is one index scan.
 *
 * Text search: pg_trgm on messages.body (a trusted extension, so the database owner may create it).
 * Trigrams match substrings in any language and script without a stemming dictionary, which a
 * 'simple' tsvector cannot (it needs whole words, and 'simple' splits CJK text badly); see
 * bench/inbox.ts for the measured query times.
 */
export class Inbox1764120000000 implements MigrationInterface {
  name = 'Inbox1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`CREATE TABLE teams (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX teams_name_key ON teams (agency_id, lower(name))`);

    await q.query(`ALTER TABLE conversations
      ADD COLUMN last_message_id uuid,
      ADD COLUMN awaiting_reply_since timestamptz,
      ADD COLUMN team_id uuid,
      ADD COLUMN no_reply_needed_reason text CHECK (no_reply_needed_reason IN ('THANKS','SPAM','OTHER')),
      ADD COLUMN no_reply_needed_at timestamptz,
      ADD CONSTRAINT conversations_team_fk FOREIGN KEY (agency_id, team_id) REFERENCES teams(agency_id, id)`);

    await q.query(`CREATE TABLE tags (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);
    // Per brand, case-insensitively: "Refund" and "refund" are one tag.
    await q.query(`CREATE UNIQUE INDEX tags_name_key ON tags (agency_id, brand_id, lower(name))`);

    await q.query(`CREATE TABLE conversation_tags (
      agency_id uuid NOT NULL,
      conversation_id uuid NOT NULL,
      tag_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, conversation_id, tag_id),
      FOREIGN KEY (agency_id, conversation_id) REFERENCES conversations(agency_id, id),
      FOREIGN KEY (agency_id, tag_id) REFERENCES tags(agency_id, id)
    )`);
    await q.query(`CREATE INDEX conversation_tags_tag_idx ON conversation_tags (agency_id, tag_id)`);

    await q.query(`CREATE TABLE notes (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      conversation_id uuid NOT NULL,
      author_user_id uuid REFERENCES users(id),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
      mentions uuid[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, conversation_id) REFERENCES conversations(agency_id, id)
    )`);
    await q.query(`CREATE INDEX notes_conversation_idx ON notes (agency_id, conversation_id, created_at)`);

    for (const t of ['teams', 'tags', 'conversation_tags', 'notes']) {
      for (const s of tenantTableSql(t)) await q.query(s);
    }

    // The list's sorts: NEWEST / OLDEST over every brand (the per-brand index exists), by status (the
    // usual "open" queue), LONGEST_WAITING, and "mine".
    await q.query(
      `CREATE INDEX conversations_recent_idx ON conversations (agency_id, last_message_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX conversations_status_recent_idx ON conversations (agency_id, status, last_message_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX conversations_waiting_idx ON conversations (agency_id, awaiting_reply_since, id)
      WHERE awaiting_reply_since IS NOT NULL`);
    await q.query(`CREATE INDEX conversations_assignee_idx ON conversations (agency_id, assignee_user_id, last_message_at DESC)
      WHERE assignee_user_id IS NOT NULL`);
    // The snooze waker looks across agencies for what is due.
    await q.query(
      `CREATE INDEX conversations_snoozed_idx ON conversations (snoozed_until) WHERE status = 'SNOOZED'`,
    );
    // A contact's identities on every platform, shown with each conversation.
    await q.query(
      `CREATE INDEX contact_identities_contact_idx ON contact_identities (agency_id, contact_id, created_at)`,
    );
    await q.query(`CREATE INDEX messages_body_trgm_idx ON messages USING gin (body gin_trgm_ops)`);

    // Text search under RLS: ILIKE is not leakproof, so on an RLS table PostgreSQL will not use it as
    // an index condition and scans every message (seconds at 1M rows). This function runs as the
    // owner (superuser or BYPASSRLS in our deployments, so the trigram index applies) and applies the
    // tenant itself: only messages of the agency in app.agency_id, exactly the rows RLS would admit.
    // At most max_rows conversation ids (with repeats): the caller uses the cap to tell a rare term
    // (look the conversations up by id) from a common one (check each conversation in sort order).
    await q.query(`CREATE FUNCTION inbox_conversations_matching(pattern text, max_rows int) RETURNS SETOF uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 1000
      AS $$ SELECT m.conversation_id FROM messages m
             WHERE m.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid
               AND m.body ILIKE pattern
             LIMIT max_rows $$`);
    await q.query(`REVOKE ALL ON FUNCTION inbox_conversations_matching(text, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION inbox_conversations_matching(text, int) TO ${APP_ROLE}`);

    // The snooze waker runs for every agency before a tenant is known (like the sweepers): this policy
    // admits only due SNOOZED rows, and only while app.sweep = 'snooze'.
    await q.query(`CREATE POLICY sweep_snoozed ON conversations FOR SELECT USING (
      status = 'SNOOZED' AND current_setting('app.sweep', true) = 'snooze')`);

    // Backfill (runs as the owner, which bypasses RLS in our deployments: superuser or BYPASSRLS).
    await q.query(`UPDATE conversations c SET last_message_id = lm.id
      FROM (SELECT DISTINCT ON (agency_id, conversation_id) agency_id, conversation_id, id
              FROM messages ORDER BY agency_id, conversation_id, created_at DESC, id DESC) lm
     WHERE c.agency_id = lm.agency_id AND c.id = lm.conversation_id`);
    await q.query(`UPDATE conversations c SET awaiting_reply_since = w.since
      FROM (SELECT m.agency_id, m.conversation_id, min(coalesce(m.platform_created_at, m.created_at)) AS since
              FROM messages m
             WHERE m.direction = 'INBOUND'
               AND NOT EXISTS (SELECT 1 FROM messages o
                                WHERE o.agency_id = m.agency_id AND o.conversation_id = m.conversation_id
                                  AND o.direction = 'OUTBOUND' AND o.created_at >= m.created_at)
             GROUP BY m.agency_id, m.conversation_id) w
     WHERE c.agency_id = w.agency_id AND c.id = w.conversation_id AND c.status <> 'RESOLVED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY IF EXISTS sweep_snoozed ON conversations`);
    await q.query(`DROP FUNCTION IF EXISTS inbox_conversations_matching(text, int)`);
    await q.query(`DROP INDEX IF EXISTS messages_body_trgm_idx`);
    await q.query(`DROP INDEX IF EXISTS contact_identities_contact_idx`);
    for (const i of [
      'conversations_recent_idx',
      'conversations_status_recent_idx',
      'conversations_waiting_idx',
      'conversations_assignee_idx',
      'conversations_snoozed_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${i}`);
    }
    for (const t of ['notes', 'conversation_tags', 'tags']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`ALTER TABLE conversations DROP CONSTRAINT conversations_team_fk,
      DROP COLUMN last_message_id, DROP COLUMN awaiting_reply_since, DROP COLUMN team_id,
      DROP COLUMN no_reply_needed_reason, DROP COLUMN no_reply_needed_at`);
    await q.query(`DROP TABLE IF EXISTS teams`);
  }
}
