import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { runMigrations } from '@caredesk/core';

/** A fresh, migrated database for one benchmark run; dropped by `drop()`. */
export async function benchDatabase(): Promise<{ ownerUrl: string; appUrl: string; drop(): Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `caredesk_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const owner = new URL(base.toString());
  owner.pathname = `/${name}`;
  const password = 'caredesk_app_bench';
  await runMigrations(owner.toString(), password);
  const app = new URL(owner.toString());
  app.username = 'caredesk_app';
  app.password = password;
  return {
    ownerUrl: owner.toString(),
    appUrl: app.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Runs `op` `total` times with `concurrency` in flight; returns per-call latencies (ms) and wall time. */
export async function load(
  total: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  return { latencies, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function report(
  label: string,
  r: { latencies: number[]; seconds: number },
): { rps: number; p50: number; p99: number } {
  const rps = r.latencies.length / r.seconds;
  const p50 = percentile(r.latencies, 50);
  const p99 = percentile(r.latencies, 99);
  console.log(
    `${label.padEnd(28)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${p50.toFixed(2)} ms   p99 ${p99.toFixed(2)} ms`,
  );
  return { rps, p50, p99 };
}

/** The environment of a Caredesk process under benchmark (production mode, silent, fresh secrets). */
export function benchEnv(
  ownerUrl: string,
  poolSize: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: ownerUrl,
    DATABASE_APP_PASSWORD: 'caredesk_app_bench',
    DATABASE_POOL_SIZE: String(poolSize),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: `bench:${randomBytes(32).toString('base64')}`,
    QUEUE_PREFIX: `bench${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
    APP_URL: 'http://127.0.0.1',
    ...extra,
  };
}

/** USER_HZ: the unit of /proc's CPU times (100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A process's name and CPU ticks (user + system) so far, from /proc/<pid>/stat; null if it is gone. */
function procStat(pid: number | string): { comm: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 11 and 12 after "pid (comm) ".
    return { comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** Every process on this machine by pid (Linux; empty elsewhere). */
function pids(): string[] {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
}

/**
 * CPU ticks of each PostgreSQL process on this machine, by pid (empty without /proc). See
 * postgresCpuMsSince.
 */
export function postgresCpu(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of pids()) {
    const stat = procStat(pid);
    if (stat?.comm === 'postgres') ticks.set(pid, stat.ticks);
  }
  return ticks;
}

/**
 * PostgreSQL CPU (ms) spent since `before` by the processes alive now: per pid, so that backends
 * which exit in between (an idle pool closing its connections) do not take their past with them.
 */
export function postgresCpuMsSince(before: Map<string, number>): number {
  let ticks = 0;
  for (const [pid, now] of postgresCpu()) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The pid of the local redis-server (undefined when not found, e.g. Redis elsewhere). */
export function redisServerPid(): number | undefined {
  const pid = pids().find((p) => procStat(p)?.comm === 'redis-server');
  return pid === undefined ? undefined : Number(pid);
}

/** CPU time (user + system, ms) of process `pid` so far (0 without /proc or once it ended). */
export function processCpuMs(pid: number | undefined): number {
  const stat = pid === undefined ? null : procStat(pid);
  return stat ? (stat.ticks * 1000) / TICKS_PER_SECOND : 0;
}

/** CPU time (user + system, ms) of this process so far. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
