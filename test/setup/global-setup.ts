import { Client } from 'pg';
import { runMigrations } from '../../libs/core/src/database/migrate';
import { adminUrl, TEST_APP_PASSWORD, templateName } from '../support/database-names';

/**
 * Migrates one template database per run; every test file then gets its own database cloned from it
 * (CREATE DATABASE … TEMPLATE), so files run in parallel without seeing each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: run the tests with `npm test`');
  process.env.CAREDESK_TEST_RUN ??= `${Date.now().toString(36)}${process.pid}`;
  const tpl = templateName();
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${tpl}`);
    await admin.query(`CREATE DATABASE ${tpl}`);
  } finally {
    await admin.end();
  }
  await runMigrations(adminUrl(tpl), TEST_APP_PASSWORD);
}
