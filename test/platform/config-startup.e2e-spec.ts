import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_ENCRYPTION_KEY } from '../support/test-env';

const ROOT = join(__dirname, '..', '..');

/** Runs the API's real entry point (TypeScript, through ts-node) with the given environment. */
function startApi(env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  for (const k of Object.keys(clean))
    if (/^(JWT_SECRET|ENCRYPTION_KEY|DATABASE_|GRAPHQL_|NODE_ENV$)/.test(k)) delete clean[k];
  return spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...clean, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), PORT: '0', ...env } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

describe('start-up with bad configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    JWT_SECRET: 'j'.repeat(40),
  };

  it('exits 1 with one line naming JWT_SECRET when it is unset', () => {
    const r = startApi({ ...base, JWT_SECRET: undefined });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual(['Invalid configuration: "JWT_SECRET" is required (see .env.example)']);
  }, 60_000);

  it('exits 1 with one line naming a malformed ENCRYPTION_KEY', () => {
    const r = startApi({ ...base, ENCRYPTION_KEY: 'not-a-key' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: "ENCRYPTION_KEY" must be <keyId>:<32 bytes in base64>/);
  }, 60_000);
});
