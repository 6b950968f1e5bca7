import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../rls';

/**
 * Canned replies (with one body per language) and the knowledge bank (issue 4, libs/knowledge).
 *
 * Search: each table carries a generated tsvector built with the 'simple' configuration — no
 * stemming and no stop words, so it treats English, Norwegian, Swedish, Polish, Indonesian and
 * Vietnamese alike (PostgreSQL has no Vietnamese or Polish stemmer). The vector holds every word
 * twice, as written and without diacritics (unaccent), so "khong" finds "không" and "zamowienie"
 * finds "zamówienie", while a query typed with the diacritics matches both forms and ranks higher.
 * pg_trgm backs fuzzy look-ups of shortcuts, titles and questions. Both extensions ship with
 * PostgreSQL's contrib (the postgres Docker image has them) and are trusted, so a database owner
 * may create them.
 */
export class Knowledge1764130000000 implements MigrationInterface {
  name = 'Knowledge1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);

    // unaccent() is only STABLE (its dictionary could be swapped), so a generated column cannot call
    // it; pinning the dictionary by name makes the result depend on the text alone.
    await q.query(`CREATE FUNCTION knowledge_unaccent(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    await q.query(`CREATE FUNCTION knowledge_document(body text, weight "char") RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT setweight(to_tsvector('simple', coalesce(body, ''))
                          || to_tsvector('simple', knowledge_unaccent(coalesce(body, ''))), weight) $$`);
    // array_to_string is STABLE for arbitrary arrays; for text[] the result depends on the input alone.
    await q.query(`CREATE FUNCTION knowledge_tags_text(tags text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT array_to_string(tags, ' ') $$`);

    await q.query(`CREATE TABLE canned_replies (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      shortcut text NOT NULL CHECK (length(shortcut) BETWEEN 1 AND 40),
      tags text[] NOT NULL DEFAULT '{}',
      usage_count integer NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
      last_used_at timestamptz,
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      search tsvector GENERATED ALWAYS AS (
        knowledge_document(title, 'A') || knowledge_document(shortcut, 'A')
        || knowledge_document(knowledge_tags_text(tags), 'B')) STORED,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);
    // Shortcuts are typed by agents ("/refund"), so "Refund" and "refund" are the same shortcut.
    await q.query(
      `CREATE UNIQUE INDEX canned_replies_shortcut_key ON canned_replies (agency_id, brand_id, lower(shortcut))`,
    );
    await q.query(
      `CREATE INDEX canned_replies_brand_recent_idx ON canned_replies (agency_id, brand_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX canned_replies_search_idx ON canned_replies USING gin (search)`);
    await q.query(
      `CREATE INDEX canned_replies_title_trgm_idx ON canned_replies USING gin (title gin_trgm_ops)`,
    );

    await q.query(`CREATE TABLE canned_reply_variants (
      agency_id uuid NOT NULL,
      canned_reply_id uuid NOT NULL,
      brand_id uuid NOT NULL,
      language text NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
      created_at timestamptz NOT NULL DEFAULT now(),
      search tsvector GENERATED ALWAYS AS (knowledge_document(body, 'C')) STORED,
      PRIMARY KEY (agency_id, canned_reply_id, language),
      FOREIGN KEY (agency_id, canned_reply_id) REFERENCES canned_replies(agency_id, id) ON DELETE CASCADE
    )`);
    await q.query(
      `CREATE INDEX canned_reply_variants_search_idx ON canned_reply_variants USING gin (search)`,
    );

    await q.query(`CREATE TABLE knowledge_entries (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      question text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
      answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 10000),
      language text NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
      tags text[] NOT NULL DEFAULT '{}',
      source_message_id uuid,
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      search tsvector GENERATED ALWAYS AS (
        knowledge_document(question, 'A') || knowledge_document(knowledge_tags_text(tags), 'B')
        || knowledge_document(answer, 'C')) STORED,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id),
      FOREIGN KEY (agency_id, source_message_id) REFERENCES messages(agency_id, id)
        ON DELETE SET NULL (source_message_id)
    )`);
    // One entry per saved reply: saving the same reply twice is a CONFLICT, not a duplicate entry.
    await q.query(`CREATE UNIQUE INDEX knowledge_entries_source_key ON knowledge_entries (agency_id, source_message_id)
      WHERE source_message_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX knowledge_entries_brand_recent_idx ON knowledge_entries (agency_id, brand_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX knowledge_entries_search_idx ON knowledge_entries USING gin (search)`);
    await q.query(
      `CREATE INDEX knowledge_entries_question_trgm_idx ON knowledge_entries USING gin (question gin_trgm_ops)`,
    );

    for (const t of ['canned_replies', 'canned_reply_variants', 'knowledge_entries']) {
      for (const s of tenantTableSql(t)) await q.query(s);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['knowledge_entries', 'canned_reply_variants', 'canned_replies']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS knowledge_document(text, "char")`);
    await q.query(`DROP FUNCTION IF EXISTS knowledge_tags_text(text[])`);
    await q.query(`DROP FUNCTION IF EXISTS knowledge_unaccent(text)`);
    // The extensions stay: other contexts (inbox text search) may use them.
  }
}
