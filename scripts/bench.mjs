#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>.ts against DATABASE_URL, or an embedded PostgreSQL
// started for the run. Each benchmark prints its own figures.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureRedis, startEmbeddedPostgres } from './lib/services.mjs';

const [name, ...rest] = process.argv.slice(2);
if (!name || !existsSync(`bench/${name}.ts`)) {
  console.error('usage: npm run bench -- <name>   (one of the files in bench/, without .ts)');
  process.exit(2);
}
let embedded = null;
try {
  await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dir: `.data/bench-pg-${process.pid}`, persistent: false });
    process.env.DATABASE_URL = embedded.url;
  }
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `bench/${name}.ts`, ...rest],
    { stdio: 'inherit', env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' } },
  );
  const code = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)));
  await embedded?.stop();
  process.exit(code);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await embedded?.stop();
  process.exit(1);
}
