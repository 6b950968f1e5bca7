import 'reflect-metadata';
import { ConfigError, loadConfig } from '@caredesk/core/config/app-config';
import { runMigrations } from '@caredesk/core/database/migrate';

/**
 * Applies pending migrations as the owner (DATABASE_URL) and sets the application role's password.
 * Used by `npm start` and by the `migrate` service in docker/compose.yml; exits 0 when up to date.
 */
async function main() {
  const config = loadConfig(process.env);
  const password = String(process.env.DATABASE_APP_PASSWORD ?? 'caredesk_app_dev');
  const applied = await runMigrations(config.database.ownerUrl, password, (line) => console.log(line));
  console.log(applied.length ? `migrations: ${applied.length} applied` : 'migrations: up to date');
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
