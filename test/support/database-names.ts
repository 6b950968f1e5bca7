/** Naming shared by the global setup and the per-file helpers. */
export const TEST_APP_PASSWORD = 'caredesk_app_test';

export function runPrefix(): string {
  const run = process.env.CAREDESK_TEST_RUN;
  if (!run) throw new Error('CAREDESK_TEST_RUN is not set (global setup did not run)');
  return `cdt_${run}`.toLowerCase();
}

export function templateName(): string {
  return `${runPrefix()}_tpl`;
}

/** The owner's URL (DATABASE_URL) pointed at another database. */
export function adminUrl(database?: string): string {
  const u = new URL(process.env.DATABASE_URL!);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}
