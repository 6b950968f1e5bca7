import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { APP_ROLE, TenantDb } from '@caredesk/core';
import { TEST_APP_PASSWORD } from '../support/database-names';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { seedTenantRows } from './seed-tenant-rows';

/**
 * Tables whose rows an app-role connection may read without a tenant, each with its reason. Every
 * other table with an agency_id column must read 0 rows without a tenant.
 */
const OPEN_READ: Record<string, string> = {
  channel_routes: 'webhooks are resolved to a tenant before one is known (DESIGN.md, "Flow of a message")',
};

const TENANT_SETTING = /nullif\(current_setting\('app\.agency_id'::text, true\), ''::text\)\)::uuid/i;

function appUrl(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = TEST_APP_PASSWORD;
  return u.toString();
}

describe('row-level security: isolation you can prove', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let tenantTables: string[];

  beforeAll(async () => {
    t = await startTestApp();
    a = await signUpAgency(t.gql, 'A');
    b = await signUpAgency(t.gql, 'B');
    await seedTenantRows(t.ownerQuery, a.agencyId, a.userId);
    await seedTenantRows(t.ownerQuery, b.agencyId, b.userId);
    const rows = await t.ownerQuery(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
        WHERE c.table_schema = 'public' AND c.column_name = 'agency_id' AND tb.table_type = 'BASE TABLE'
        ORDER BY 1`,
    );
    tenantTables = rows.map((r) => r.table_name);
  });
  afterAll(() => t.close());

  it('finds the tenant tables (a sanity floor, so the checks below cannot pass vacuously)', () => {
    expect(tenantTables).toEqual(
      expect.arrayContaining(['memberships', 'brands', 'channels', 'audit_events']),
    );
    expect(tenantTables.length).toBeGreaterThanOrEqual(10);
  });

  it('(a) every table with agency_id, and agencies, has RLS enabled and forced with a USING and WITH CHECK policy on app.agency_id', async () => {
    const problems: string[] = [];
    for (const table of [...tenantTables, 'agencies']) {
      const [cls] = await t.ownerQuery(
        `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`,
        [`public.${table}`],
      );
      if (!cls.relrowsecurity) problems.push(`${table}: RLS not enabled`);
      if (!cls.relforcerowsecurity) problems.push(`${table}: RLS not forced`);
      const policies = await t.ownerQuery(
        `SELECT policyname, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND tablename = $1`,
        [table],
      );
      const column = table === 'agencies' ? 'id' : 'agency_id';
      const isolating = policies.find(
        (p) =>
          p.cmd === 'ALL' &&
          TENANT_SETTING.test(p.qual ?? '') &&
          TENANT_SETTING.test(p.with_check ?? '') &&
          String(p.qual).startsWith(`(${column} = `),
      );
      if (!isolating)
        problems.push(`${table}: no ALL policy with USING and WITH CHECK on ${column} = app.agency_id`);
    }
    expect(problems).toEqual([]);
  });

  it('the application role is not the owner, not a superuser and cannot bypass RLS', async () => {
    const [role] = await t.ownerQuery(
      `SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = $1`,
      [APP_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false });
    const owned = await t.ownerQuery(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1`,
      [APP_ROLE],
    );
    expect(owned).toEqual([]);
  });

  describe('as caredesk_app', () => {
    let app: Client;
    beforeAll(async () => {
      app = new Client({ connectionString: appUrl(t.ownerUrl) });
      await app.connect();
    });
    afterAll(() => app.end());

    it('(b) with no tenant set, every tenant table reads 0 rows', async () => {
      const seen: Record<string, number> = {};
      for (const table of [...tenantTables, 'agencies']) {
        if (OPEN_READ[table]) continue;
        const [{ n }] = (await app.query(`SELECT count(*)::int AS n FROM ${table}`)).rows;
        seen[table] = n;
      }
      expect(Object.values(seen).every((n) => n === 0)).toBe(true);
      // …while the owner sees rows of both agencies in each of them.
      for (const table of tenantTables) {
        const rows = await t.ownerQuery(`SELECT DISTINCT agency_id FROM ${table} WHERE agency_id = ANY($1)`, [
          [a.agencyId, b.agencyId],
        ]);
        expect({ table, agencies: rows.length }).toEqual({ table, agencies: 2 });
      }
    });

    it('(b) with no tenant set, writes to every tenant table fail', async () => {
      for (const table of tenantTables) {
        const [row] = await t.ownerQuery(
          `SELECT row_to_json(x) AS j FROM ${table} x WHERE agency_id = $1 LIMIT 1`,
          [a.agencyId],
        );
        const copy = { ...row.j, ...('id' in row.j ? { id: '00000000-0000-4000-8000-000000000001' } : {}) };
        if (table === 'channel_routes') copy.external_account_id = 'copied';
        // Generated columns (knowledge's tsvectors) take no value in an INSERT: copy the others.
        const columns = (
          await t.ownerQuery(
            `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS c
               FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'`,
            [table],
          )
        )[0].c;
        await expect(
          app.query(
            `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_populate_record(null::${table}, $1)`,
            [JSON.stringify(copy)],
          ),
        ).rejects.toThrow(/row-level security/);
        const updated = await app.query(`UPDATE ${table} SET agency_id = agency_id`);
        expect({ table, updated: updated.rowCount }).toEqual({ table, updated: 0 });
        const deleted = await app.query(`DELETE FROM ${table}`);
        expect({ table, deleted: deleted.rowCount }).toEqual({ table, deleted: 0 });
      }
    });

    it('(b) with tenant A set, only A rows are visible and rows for B cannot be written', async () => {
      await app.query('BEGIN');
      try {
        await app.query(`SELECT set_config('app.agency_id', $1, true)`, [a.agencyId]);
        for (const table of tenantTables) {
          const agencies = (await app.query(`SELECT DISTINCT agency_id FROM ${table}`)).rows.map(
            (r) => r.agency_id,
          );
          if (OPEN_READ[table]) continue;
          expect({ table, agencies }).toEqual({ table, agencies: [a.agencyId] });
        }
        await app.query('SAVEPOINT s');
        await expect(
          app.query(
            `INSERT INTO brands (agency_id, id, name, slug, timezone) VALUES ($1, gen_random_uuid(), 'x', 'x', 'UTC')`,
            [b.agencyId],
          ),
        ).rejects.toThrow(/row-level security/);
        await app.query('ROLLBACK TO SAVEPOINT s');
        const moved = await app.query(`UPDATE brands SET agency_id = $1`, [b.agencyId]).catch((e) => e);
        expect(String(moved)).toMatch(/row-level security|violates foreign key/);
      } finally {
        await app.query('ROLLBACK');
      }
    });
  });

  it('(c) a pooled connection used for tenant A and then tenant B never shows A rows to B', async () => {
    const pool = new Pool({ connectionString: appUrl(t.ownerUrl), max: 1 });
    try {
      const brandsAs = async (agencyId: string) => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          await c.query(`SELECT set_config('app.agency_id', $1, true)`, [agencyId]);
          const rows = (await c.query('SELECT DISTINCT agency_id FROM brands')).rows.map((r) => r.agency_id);
          await c.query('COMMIT');
          return rows;
        } finally {
          c.release();
        }
      };
      expect(await brandsAs(a.agencyId)).toEqual([a.agencyId]);
      expect(await brandsAs(b.agencyId)).toEqual([b.agencyId]);
      // The same single connection, after the commit: the setting reads '' and nothing is visible.
      const after = await pool.query(
        `SELECT current_setting('app.agency_id', true) AS s, (SELECT count(*)::int FROM brands) AS n`,
      );
      expect(after.rows[0]).toEqual({ s: '', n: 0 });
    } finally {
      await pool.end();
    }
  });

  it('(c) through TenantDb on the app pool: each run sees only its agency; outside a run nothing', async () => {
    const db = t.app.get(TenantDb);
    const ds = t.app.get<DataSource>(getDataSourceToken());
    for (let i = 0; i < 10; i++) {
      for (const s of [a, b]) {
        const agencies = await db.run(s.agencyId, (tx) => tx.query('SELECT DISTINCT agency_id FROM brands'));
        expect(agencies.map((r) => r.agency_id)).toEqual([s.agencyId]);
      }
    }
    const leaked = await Promise.all(
      Array.from({ length: 10 }, () => ds.query('SELECT count(*)::int AS n FROM brands')),
    );
    expect(leaked.map((r) => r[0].n)).toEqual(Array(10).fill(0));
  });
});
