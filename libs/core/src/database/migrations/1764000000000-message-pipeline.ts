import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../rls';

const PLATFORMS = "('FACEBOOK_PAGE','INSTAGRAM','X','LINKEDIN','TIKTOK','GOOGLE_BUSINESS','EMAIL')";
const KINDS = "('DM','COMMENT','MENTION','REVIEW','EMAIL')";

/**
 * The message pipeline (DESIGN.md, "Flow of a message"): raw webhook deliveries, contacts and their
 * platform identities, conversations, messages, and the send outbox.
 *
 * Idempotency lives in unique keys, so at-least-once delivery (platforms retry, bull re-runs a job
 * whose worker died) still yields exactly one row: inbound_events on the platform's event key,
 * messages on the platform's message id per channel, contact identities on the platform user id per
 * brand, and at most one unresolved conversation per thread key per channel.
 */
export class MessagePipeline1764000000000 implements MigrationInterface {
  name = 'MessagePipeline1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE inbound_events (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      platform text NOT NULL CHECK (platform IN ${PLATFORMS}),
      event_key text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','PROCESSED','FAILED','IGNORED')),
      attempts int NOT NULL DEFAULT 0,
      last_error text,
      received_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, channel_id) REFERENCES channels(agency_id, id),
      CONSTRAINT inbound_events_key UNIQUE (agency_id, platform, event_key)
    )`);
    // The sweeper's query: committed but not finished after a delay.
    await q.query(
      `CREATE INDEX inbound_events_pending_idx ON inbound_events (received_at) WHERE status = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX inbound_events_failed_idx ON inbound_events (agency_id, received_at DESC) WHERE status = 'FAILED'`,
    );

    await q.query(`CREATE TABLE contacts (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      display_name text,
      avatar_url text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);

    await q.query(`CREATE TABLE contact_identities (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      contact_id uuid NOT NULL,
      platform text NOT NULL CHECK (platform IN ${PLATFORMS}),
      external_user_id text NOT NULL,
      username text,
      display_name text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, contact_id) REFERENCES contacts(agency_id, id),
      CONSTRAINT contact_identities_key UNIQUE (agency_id, brand_id, platform, external_user_id)
    )`);

    await q.query(`CREATE TABLE conversations (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      contact_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ${KINDS}),
      thread_key text NOT NULL,
      subject text,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','PENDING','SNOOZED','RESOLVED')),
      priority text NOT NULL DEFAULT 'NORMAL' CHECK (priority IN ('LOW','NORMAL','HIGH','URGENT')),
      assignee_user_id uuid,
      linked_conversation_id uuid,
      last_message_at timestamptz NOT NULL DEFAULT now(),
      last_inbound_at timestamptz,
      resolved_at timestamptz,
      snoozed_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id),
      FOREIGN KEY (agency_id, channel_id) REFERENCES channels(agency_id, id),
      FOREIGN KEY (agency_id, contact_id) REFERENCES contacts(agency_id, id)
    )`);
    // Threading is race-safe: two workers threading messages of one thread at once cannot both open
    // a conversation for it.
    await q.query(`CREATE UNIQUE INDEX conversations_open_thread_key ON conversations (agency_id, channel_id, thread_key)
      WHERE status <> 'RESOLVED'`);
    await q.query(
      `CREATE INDEX conversations_thread_idx ON conversations (agency_id, channel_id, thread_key, resolved_at DESC)`,
    );
    await q.query(
      `CREATE INDEX conversations_contact_idx ON conversations (agency_id, contact_id, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX conversations_brand_recent_idx ON conversations (agency_id, brand_id, last_message_at DESC, id DESC)`,
    );

    await q.query(`CREATE TABLE messages (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      conversation_id uuid NOT NULL,
      direction text NOT NULL CHECK (direction IN ('INBOUND','OUTBOUND')),
      visibility text NOT NULL DEFAULT 'PUBLIC' CHECK (visibility IN ('PUBLIC','PRIVATE')),
      external_id text,
      parent_external_id text,
      author_identity_id uuid,
      author_user_id uuid,
      body text NOT NULL DEFAULT '',
      attachments jsonb NOT NULL DEFAULT '[]',
      rating smallint CHECK (rating BETWEEN 1 AND 5),
      status text NOT NULL DEFAULT 'RECEIVED' CHECK (status IN ('RECEIVED','QUEUED','SENDING','SENT','FAILED')),
      failure_code text,
      failure_message text,
      hidden_at timestamptz,
      edited_at timestamptz,
      deleted_at timestamptz,
      platform_created_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, conversation_id) REFERENCES conversations(agency_id, id),
      FOREIGN KEY (agency_id, channel_id) REFERENCES channels(agency_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX messages_external_key ON messages (agency_id, channel_id, external_id)
      WHERE external_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX messages_conversation_idx ON messages (agency_id, conversation_id, created_at, id)`,
    );

    await q.query(`CREATE TABLE outbound_messages (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      message_id uuid,
      action text NOT NULL CHECK (action IN ('REPLY','PRIVATE_REPLY','DIRECT_MESSAGE','EMAIL','HIDE','UNHIDE','DELETE')),
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED','SENDING','SENT','FAILED','WAITING_FOR_RECONNECT')),
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      external_id text,
      failure_code text,
      failure_message text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, channel_id) REFERENCES channels(agency_id, id)
    )`);
    await q.query(
      `CREATE INDEX outbound_messages_due_idx ON outbound_messages (next_attempt_at) WHERE status IN ('QUEUED','SENDING')`,
    );
    await q.query(
      `CREATE INDEX outbound_messages_channel_waiting_idx ON outbound_messages (agency_id, channel_id) WHERE status = 'WAITING_FOR_RECONNECT'`,
    );

    for (const t of [
      'inbound_events',
      'contacts',
      'contact_identities',
      'conversations',
      'messages',
      'outbound_messages',
    ]) {
      for (const s of tenantTableSql(t)) await q.query(s);
    }

    // The sweepers re-enqueue work that was committed but not finished, for every agency, so they
    // must find it before any tenant is known. They run in SystemDb with the transaction-local
    // setting app.sweep naming what they look for, and these policies admit only unfinished rows
    // (the sweepers read ids, never payloads). Without the setting the tables read zero rows.
    await q.query(`CREATE POLICY sweep_pending ON inbound_events FOR SELECT USING (
      status = 'PENDING' AND current_setting('app.sweep', true) = 'inbound')`);
    await q.query(`CREATE POLICY sweep_pending ON outbound_messages FOR SELECT USING (
      status IN ('QUEUED','SENDING') AND current_setting('app.sweep', true) = 'outbound')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'outbound_messages',
      'messages',
      'conversations',
      'contact_identities',
      'contacts',
      'inbound_events',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
