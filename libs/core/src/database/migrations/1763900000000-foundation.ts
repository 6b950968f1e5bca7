import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, createRoleSql, tenantTableSql } from '../rls';

const USER_PREDICATE = "nullif(current_setting('app.user_id', true), '')::uuid";
const ROLES = "('OWNER','ADMIN','MANAGER','AGENT','CLIENT_VIEWER')";
const PLATFORMS = "('FACEBOOK_PAGE','INSTAGRAM','X','LINKEDIN','TIKTOK','GOOGLE_BUSINESS','EMAIL')";

/**
 * The foundation schema: agencies, global user identities, memberships and their brand scope,
 * auth tokens, API keys, brands, channels and the audit log.
 *
 * Every tenant-owned table carries `agency_id` in its primary and foreign keys (ready for Citus) and
 * gets RLS through `tenantTableSql`. users and password_reset_tokens are global (a person may belong to
 * several agencies); channel_routes has RLS for writes but an open read policy for webhook lookup.
 */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const run = async (statements: string[]) => {
      for (const s of statements) await q.query(s);
    };

    // The application role: not the owner, no BYPASSRLS. Roles are cluster-wide, hence IF NOT EXISTS;
    // its password is set by the migration runner from DATABASE_APP_PASSWORD, never stored here.
    await q.query(createRoleSql(APP_ROLE));
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);

    await q.query(`CREATE TABLE agencies (
      id uuid PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      require_two_factor boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY,
      email text NOT NULL CHECK (email = lower(email)),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      password_hash text NOT NULL,
      totp_secret text,
      totp_pending_secret text,
      totp_enabled_at timestamptz,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT users_email_key UNIQUE (email)
    )`);

    await q.query(`CREATE TABLE memberships (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users(id),
      role text NOT NULL CHECK (role IN ${ROLES}),
      all_brands boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      CONSTRAINT memberships_agency_user_key UNIQUE (agency_id, user_id)
    )`);
    await q.query(`CREATE INDEX memberships_user_idx ON memberships (user_id)`);

    await q.query(`CREATE TABLE brands (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
      timezone text NOT NULL,
      languages text[] NOT NULL DEFAULT '{}',
      business_hours jsonb NOT NULL DEFAULT '[]',
      holidays jsonb NOT NULL DEFAULT '[]',
      display_name text,
      logo_url text,
      primary_color text CHECK (primary_color ~ '^#[0-9a-fA-F]{6}$'),
      settings jsonb NOT NULL DEFAULT '{}',
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      CONSTRAINT brands_agency_slug_key UNIQUE (agency_id, slug)
    )`);

    await q.query(`CREATE TABLE membership_brands (
      agency_id uuid NOT NULL,
      membership_id uuid NOT NULL,
      brand_id uuid NOT NULL,
      PRIMARY KEY (agency_id, membership_id, brand_id),
      FOREIGN KEY (agency_id, membership_id) REFERENCES memberships(agency_id, id) ON DELETE CASCADE,
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);
    await q.query(`CREATE INDEX membership_brands_brand_idx ON membership_brands (agency_id, brand_id)`);

    await q.query(`CREATE TABLE refresh_tokens (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users(id),
      family_id uuid NOT NULL,
      token_hash text NOT NULL,
      mfa boolean NOT NULL DEFAULT false,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id)
    )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (agency_id, family_id)`);

    await q.query(`CREATE TABLE invitations (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      email text NOT NULL CHECK (email = lower(email)),
      role text NOT NULL CHECK (role IN ${ROLES}),
      brand_ids uuid[] NOT NULL DEFAULT '{}',
      token_hash text NOT NULL,
      invited_by_user_id uuid REFERENCES users(id),
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX invitations_token_idx ON invitations (agency_id, token_hash)`);

    await q.query(`CREATE TABLE password_reset_tokens (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE api_keys (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      role text NOT NULL CHECK (role IN ${ROLES}),
      all_brands boolean NOT NULL DEFAULT true,
      key_hash text NOT NULL,
      key_prefix text NOT NULL,
      created_by_user_id uuid REFERENCES users(id),
      last_used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_hash_idx ON api_keys (agency_id, key_hash)`);

    await q.query(`CREATE TABLE api_key_brands (
      agency_id uuid NOT NULL,
      api_key_id uuid NOT NULL,
      brand_id uuid NOT NULL,
      PRIMARY KEY (agency_id, api_key_id, brand_id),
      FOREIGN KEY (agency_id, api_key_id) REFERENCES api_keys(agency_id, id) ON DELETE CASCADE,
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);

    await q.query(`CREATE TABLE channels (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      platform text NOT NULL CHECK (platform IN ${PLATFORMS}),
      external_account_id text NOT NULL CHECK (length(external_account_id) BETWEEN 1 AND 200),
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
      credentials_sealed text NOT NULL,
      status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','NEEDS_RECONNECT','DISCONNECTED')),
      connected_at timestamptz NOT NULL DEFAULT now(),
      disconnected_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);
    await q.query(`CREATE INDEX channels_brand_idx ON channels (agency_id, brand_id)`);

    // Routing index: a webhook names only the platform account, so the channel (and with it the tenant)
    // must be found before any tenant is known. Its primary key is also what makes one external account
    // belong to at most one connected channel, across all agencies.
    await q.query(`CREATE TABLE channel_routes (
      platform text NOT NULL CHECK (platform IN ${PLATFORMS}),
      external_account_id text NOT NULL,
      agency_id uuid NOT NULL REFERENCES agencies(id),
      channel_id uuid NOT NULL,
      brand_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (platform, external_account_id)
    )`);

    await q.query(`CREATE TABLE audit_events (
      agency_id uuid NOT NULL REFERENCES agencies(id),
      id uuid NOT NULL,
      actor_user_id uuid,
      actor_api_key_id uuid,
      actor_label text NOT NULL,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      brand_id uuid,
      changes jsonb NOT NULL DEFAULT '{}',
      ip text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id)
    )`);
    await q.query(
      `CREATE INDEX audit_events_recent_idx ON audit_events (agency_id, created_at DESC, id DESC)`,
    );

    // Row-level security on every tenant table.
    for (const t of [
      'memberships',
      'membership_brands',
      'brands',
      'refresh_tokens',
      'invitations',
      'api_keys',
      'api_key_brands',
      'channels',
      'audit_events',
    ]) {
      await run(tenantTableSql(t));
    }

    // Agencies are the tenant itself: keyed by `id`, not `agency_id`.
    await run([
      `ALTER TABLE agencies ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE agencies FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY tenant_isolation ON agencies
         USING (id = nullif(current_setting('app.agency_id', true), '')::uuid)
         WITH CHECK (id = nullif(current_setting('app.agency_id', true), '')::uuid)`,
      `GRANT SELECT, INSERT, UPDATE ON agencies TO ${APP_ROLE}`,
    ]);

    // Before a user picks an agency (login, "my agencies"), they may read their own memberships and
    // those agencies' names; SystemDb sets app.user_id only after the password was verified.
    await q.query(
      `CREATE POLICY member_self_read ON memberships FOR SELECT USING (user_id = ${USER_PREDICATE})`,
    );
    await q.query(`CREATE POLICY member_self_read ON agencies FOR SELECT USING (
      EXISTS (SELECT 1 FROM memberships m WHERE m.agency_id = agencies.id AND m.user_id = ${USER_PREDICATE}))`);

    await q.query(`GRANT SELECT, INSERT, UPDATE ON users TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON password_reset_tokens TO ${APP_ROLE}`);
    // channel_routes: writes only by the owning tenant, like any tenant table; reads are open, because a
    // webhook must be resolved to its tenant before one is known. It holds no secrets.
    await run(tenantTableSql('channel_routes'));
    await q.query(`CREATE POLICY webhook_route_lookup ON channel_routes FOR SELECT USING (true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'audit_events',
      'channel_routes',
      'channels',
      'api_key_brands',
      'api_keys',
      'password_reset_tokens',
      'invitations',
      'refresh_tokens',
      'membership_brands',
      'brands',
      'memberships',
      'users',
      'agencies',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
