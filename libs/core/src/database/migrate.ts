import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { APP_ROLE } from './rls';

export function ownerDataSource(ownerUrl: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: ownerUrl,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    logging: ['error'],
  });
}

/**
 * Applies pending migrations as the owner, then lets the application role log in with its password.
 * The app role's password is set here, from configuration, rather than in a migration.
 */
export async function runMigrations(
  ownerUrl: string,
  appPassword: string,
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  const ds = ownerDataSource(ownerUrl);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations();
    for (const m of applied) log(`migration applied: ${m.name}`);
    const literal = appPassword.replace(/'/g, "''");
    await ds.query(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${literal}'`);
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
