/**
 * SQL for a tenant-owned table (DESIGN.md, "Tenancy"). Used by migrations so that every tenant table
 * gets exactly the same protection; `test/tenancy/rls.e2e-spec.ts` fails for a table that lacks it.
 *
 * `nullif(…, '')`: once a transaction that set `app.agency_id` commits, the setting reads '' (not
 * NULL) on that connection, and ''::uuid would raise instead of matching nothing.
 */
export const TENANT_PREDICATE = "agency_id = nullif(current_setting('app.agency_id', true), '')::uuid";

export const APP_ROLE = 'caredesk_app';

export function tenantTableSql(table: string): string[] {
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_isolation ON ${table} USING (${TENANT_PREDICATE}) WITH CHECK (${TENANT_PREDICATE})`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${APP_ROLE}`,
  ];
}

/**
 * A NOLOGIN role with no special powers, created once: roles are cluster-wide (every database of the
 * server, every test database, shares them), hence IF NOT EXISTS.
 */
export function createRoleSql(role: string): string {
  return `DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    END $$`;
}
