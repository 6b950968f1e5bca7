/**
 * Webhook intake, end to end (issue 3, "Benchmark"): signed Meta deliveries (one Messenger message
 * entry each), 20% of them re-sends of an earlier delivery, BENCH_CONCURRENCY (64) in flight,
 * BENCH_EVENTS (50,000) requests.
 *
 *   floor:     a bare node:http server (its own process): HMAC-SHA256 verification and one
 *              INSERT … ON CONFLICT DO NOTHING per event on a pg pool (owner role, no RLS).
 *   caredesk:  the real API (its own process: Meta connector, InboundEventWriter's group commit,
 *              RLS) and the real worker (its own process: ingest → contacts, conversations, messages).
 * This process only generates load (bench/ingest-servers.ts holds both servers).
 *
 * Prints accepted events/s and accept latency p50/p99 for both, end-to-end processed events/s (until
 * every inbound_events row has left PENDING), lost and duplicated messages, the ratios and whether the
 * targets are met. Run: `npm run bench -- ingest` (BENCH_EVENTS=5000 for a quick run).
 *
 * BENCH_ROUNDS=n (default 1) repeats the whole measurement — floor, then Caredesk, each round on a
 * database of its own — and ends with the median of each ratio over the rounds and their range; the
 * targets are judged on the medians. On a shared 2-core machine one run's ratios swing by 2× from run
 * to run (the machine changes speed between the floor's run and Caredesk's), so a single run decides
 * nothing.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { Client } from 'pg';
import {
  benchDatabase,
  benchEnv,
  load,
  ownCpuMs,
  percentile,
  postgresCpu,
  postgresCpuMsSince,
  processCpuMs,
  redisServerPid,
} from './support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const DUPLICATE_SHARE = 0.2;
const AGENCIES = 8;
const PAGES_PER_AGENCY = 2;
const CUSTOMERS = 2000;
const SECRET = `bench-${randomBytes(8).toString('hex')}`;
const POOL_SIZE = 10;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));

/** One round's ratios to its floor (end to end as a fraction; NaN when ingest did not finish). */
interface RoundRatios {
  accept: number;
  endToEnd: number;
  acceptP99: number;
  cpu: number;
  lost: number;
  duplicated: number;
}

interface Plan {
  bodies: string[];
  signatures: string[];
  /** Message ids (mid) of the distinct events. */
  unique: Set<string>;
}

/** Request i: a new entry, or (20%) a byte-identical re-send of an earlier one, as Meta retries. */
function plan(pages: string[], count: number, tag: string): Plan {
  const bodies: string[] = [];
  const unique = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (i > 10 && Math.random() < DUPLICATE_SHARE) {
      bodies.push(bodies[Math.floor(Math.random() * bodies.length)]);
      continue;
    }
    const page = pages[i % pages.length];
    const mid = `m_${tag}_${i}`;
    const ts = 1764000000000 + i;
    unique.add(mid);
    bodies.push(
      JSON.stringify({
        object: 'page',
        entry: [
          {
            id: page,
            time: ts,
            messaging: [
              {
                sender: { id: `psid-${i % CUSTOMERS}` },
                recipient: { id: page },
                timestamp: ts,
                message: { mid, text: `Where is my order #${i}? It was due yesterday.` },
              },
            ],
          },
        ],
      }),
    );
  }
  const signatures = bodies.map((b) => `sha256=${createHmac('sha256', SECRET).update(b).digest('hex')}`);
  return { bodies, signatures, unique };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port: number, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhooks/meta',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-hub-signature-256': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(port: number, p: Plan) {
  let failures = 0;
  const r = await load(p.bodies.length, CONCURRENCY, async (i) => {
    if ((await post(port, p.bodies[i], p.signatures[i])) !== 200) failures++;
  });
  return {
    ...r,
    failures,
    rps: r.latencies.length / r.seconds,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
  };
}

interface ServerProcess {
  port: number;
  pid: number | undefined;
  stats(): Promise<{ batches: number; requests: number; commitMs: number } | null>;
  stop(): Promise<void>;
}

/** Starts bench/ingest-servers.ts `kind` in its own process and waits for its port. */
async function startServer(kind: 'floor' | 'api', env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each server process and of the worker.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'bench/ingest-servers.ts',
      kind,
    ],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...env, TS_NODE_PROJECT: 'tsconfig.json' } },
  );
  type Reply = { port: number; stats: Awaited<ReturnType<ServerProcess['stats']>> };
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Reply));
      child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    });
  const { port } = await next();
  return {
    port,
    pid: child.pid,
    stats: async () => {
      child.send({ cmd: 'stats' });
      return (await next()).stats;
    },
    stop: async () => {
      child.send({ cmd: 'stop' });
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function seed(owner: Client): Promise<string[]> {
  const pages: string[] = [];
  for (let a = 0; a < AGENCIES; a++) {
    const agencyId = randomUUID();
    const brandId = randomUUID();
    await owner.query(`INSERT INTO agencies (id, name) VALUES ($1, $2)`, [agencyId, `Agency ${a}`]);
    await owner.query(
      `INSERT INTO brands (agency_id, id, name, slug, timezone) VALUES ($1, $2, $3, $4, 'UTC')`,
      [agencyId, brandId, `Brand ${a}`, `brand-${a}`],
    );
    for (let p = 0; p < PAGES_PER_AGENCY; p++) {
      const channelId = randomUUID();
      const page = `10${a}${p}${randomBytes(5).readUIntBE(0, 5)}`;
      // Credentials are only read to send replies, which this benchmark does not do.
      await owner.query(
        `INSERT INTO channels (agency_id, id, brand_id, platform, external_account_id, display_name, credentials_sealed)
         VALUES ($1, $2, $3, 'FACEBOOK_PAGE', $4, $5, '')`,
        [agencyId, channelId, brandId, page, `Page ${a}.${p}`],
      );
      await owner.query(
        `INSERT INTO channel_routes (platform, external_account_id, agency_id, channel_id, brand_id)
         VALUES ('FACEBOOK_PAGE', $1, $2, $3, $4)`,
        [page, agencyId, channelId, brandId],
      );
      pages.push(page);
    }
  }
  return pages;
}

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/worker/src/main.ts',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, TS_NODE_PROJECT: 'tsconfig.json' } },
  );
}

/** Resolves once the worker has compiled and booted, so its start-up is not counted against the API. */
function workerStarted(worker: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    worker.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('caredesk worker started')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting`)));
  });
}

/** Waits until no row is PENDING; gives up after `stallSeconds` without progress. */
async function waitProcessed(owner: Client, total: number, stallSeconds: number): Promise<number | null> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const [{ done, pending }] = (
      await owner.query(`SELECT count(*) FILTER (WHERE status <> 'PENDING')::int AS done,
                                count(*) FILTER (WHERE status = 'PENDING')::int AS pending FROM inbound_events`)
    ).rows;
    if (pending === 0 && done >= total) return Date.now();
    if (done !== last) {
      last = done;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallSeconds * 1000) {
      console.log(`  ingest stalled at ${done}/${total} processed`);
      return null;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const walLsn = async (c: Client) =>
  (await c.query(`SELECT pg_current_wal_lsn()::text AS l`)).rows[0].l as string;
const walBytes = async (c: Client, from: string, to: string) =>
  Number((await c.query(`SELECT pg_wal_lsn_diff($2, $1)::bigint AS d`, [from, to])).rows[0].d);

const fmt = (n: number) => n.toFixed(0).padStart(7);
const ms = (n: number) => `${n.toFixed(2)} ms`;

/** One round: the floor, then Caredesk, on a database of its own; prints its figures. */
async function round(): Promise<RoundRatios> {
  const db = await benchDatabase();
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  let worker: ChildProcess | null = null;
  try {
    const pages = await seed(owner);
    console.log(
      `ingest: ${EVENTS} signed Meta deliveries, ${DUPLICATE_SHARE * 100}% duplicates, ${CONCURRENCY} concurrent, ` +
        `${pages.length} pages in ${AGENCIES} agencies`,
    );
    // One environment for both servers; the floor reads only the database URL, pool size and secret.
    const env = benchEnv(db.ownerUrl, POOL_SIZE, {
      META_APP_SECRET: SECRET,
      META_VERIFY_TOKEN: 'bench-verify-token',
    });
    Object.assign(process.env, env);

    // ---- floor
    await owner.query(`CREATE TABLE floor_events (event_key text PRIMARY KEY, payload jsonb NOT NULL)`);
    const floor = await startServer('floor', env);
    await run(floor.port, plan(pages, 2000, 'floorwarm'));
    const floorPlan = plan(pages, EVENTS, 'floor');
    const floorCpu0 = { pg: postgresCpu(), server: processCpuMs(floor.pid), self: ownCpuMs() };
    const floorRun = await run(floor.port, floorPlan);
    const floorCpu = {
      pg: postgresCpuMsSince(floorCpu0.pg),
      server: processCpuMs(floor.pid) - floorCpu0.server,
      self: ownCpuMs() - floorCpu0.self,
    };
    await floor.stop();
    console.log(
      `floor (bare http + 1 insert)   ${fmt(floorRun.rps)} req/s   p50 ${ms(floorRun.p50)}   p99 ${ms(floorRun.p99)}   non-200: ${floorRun.failures}`,
    );

    // ---- caredesk: API and worker each in its own process, as deployed
    const api = await startServer('api', env);
    const port = api.port;
    // BENCH_WORKER=0 measures the accept side alone.
    if (process.env.BENCH_WORKER !== '0') {
      worker = startWorker(env);
      await workerStarted(worker);
    }

    const warm = plan(pages, 2000, 'warm');
    await run(port, warm);
    const main = plan(pages, EVENTS, 'main');
    const redisPid = redisServerPid();
    const cpu0 = {
      redis: processCpuMs(redisPid),
      pg: postgresCpu(),
      api: processCpuMs(api.pid),
      worker: processCpuMs(worker?.pid),
      self: ownCpuMs(),
    };
    const wal0 = await walLsn(owner);
    const started = Date.now();
    const accepted = await run(port, main);
    const walAccepted = await walLsn(owner);
    console.log(
      `caredesk accept (API)          ${fmt(accepted.rps)} req/s   p50 ${ms(accepted.p50)}   p99 ${ms(accepted.p99)}   non-200: ${accepted.failures}`,
    );
    const st = (await api.stats())!;
    console.log(
      `  group commit: ${st.batches} transactions for ${st.requests} requests ` +
        `(${(st.requests / st.batches).toFixed(1)} per commit, ${(st.commitMs / st.batches).toFixed(1)} ms each)`,
    );
    const total = warm.unique.size + main.unique.size;
    const acceptedAt = Date.now();
    const doneAt = worker ? await waitProcessed(owner, total, 60) : null;
    if (doneAt) {
      const [{ later }] = (
        await owner.query(
          `SELECT count(*) FILTER (WHERE processed_at > $1)::int AS later FROM inbound_events`,
          [new Date(acceptedAt)],
        )
      ).rows;
      console.log(`  after intake: ${later} events processed in ${doneAt - acceptedAt} ms`);
    }
    const cpu = {
      redis: processCpuMs(redisPid) - cpu0.redis,
      pg: postgresCpuMsSince(cpu0.pg),
      api: processCpuMs(api.pid) - cpu0.api,
      worker: processCpuMs(worker?.pid) - cpu0.worker,
      self: ownCpuMs() - cpu0.self,
    };
    // WAL written per request sent: what intake's synchronous commits flush, and the worker's share.
    const walPer = async (to: string) => (await walBytes(owner, wal0, to)) / EVENTS;
    console.log(
      `WAL per request: ${(await walPer(walAccepted)).toFixed(0)} B by the end of intake, ` +
        `${(await walPer(await walLsn(owner))).toFixed(0)} B by the end of ingest`,
    );
    const e2e = doneAt ? main.unique.size / ((doneAt - started) / 1000) : null;
    const rows = (
      await owner.query(`SELECT
        (SELECT count(*) FROM inbound_events)::int AS events,
        (SELECT count(*) FROM inbound_events WHERE status = 'PROCESSED')::int AS processed,
        (SELECT count(*) FROM messages)::int AS messages,
        (SELECT count(DISTINCT external_id) FROM messages)::int AS distinct_messages`)
    ).rows[0];
    const lost = total - rows.distinct_messages;
    const duplicated = rows.messages - rows.distinct_messages;
    console.log(
      e2e
        ? `caredesk end-to-end (ingested) ${fmt(e2e)} events/s   (${main.unique.size} unique events)`
        : 'caredesk end-to-end: not measured (ingest did not finish)',
    );
    console.log(
      `rows: ${rows.events} inbound_events (${total} unique sent), ${rows.processed} PROCESSED, ${rows.messages} messages`,
    );
    console.log(`lost: ${lost}   duplicated: ${duplicated}`);
    // Where the two cores go, in CPU µs per request sent (duplicates included), from the first request
    // to the last event processed; the load generator's share is in both runs.
    const us = (msTotal: number) => ((msTotal * 1000) / EVENTS).toFixed(0);
    console.log(
      `CPU per request: floor — server ${us(floorCpu.server)} µs, PostgreSQL ${us(floorCpu.pg)} µs, ` +
        `load generator ${us(floorCpu.self)} µs; caredesk — API ${us(cpu.api)} µs, worker ${us(cpu.worker)} µs, ` +
        `PostgreSQL ${us(cpu.pg)} µs, Redis ${us(cpu.redis)} µs, load generator ${us(cpu.self)} µs`,
    );
    // The budget both runs share: CONCURRENCY clients in a closed loop keep every process busy, so
    // sustained throughput is bounded by cores / CPU per request, and latency is CONCURRENCY /
    // throughput (Little's law). Intake can only answer as fast as the floor while ingest keeps up
    // when everything that runs alongside it (the worker and its queries included) costs no more per
    // request than the floor does. (Caredesk's figure includes the drain after the last request.)
    const floorTotal = (floorCpu.server + floorCpu.pg + floorCpu.self) / EVENTS; // ms per request
    const ourTotal = (cpu.api + cpu.worker + cpu.pg + cpu.redis + cpu.self) / EVENTS;
    const cores = availableParallelism();
    const bound = (msPerRequest: number) => (cores / msPerRequest) * 1000; // requests per second
    console.log(
      `CPU per request, all processes: floor ${(floorTotal * 1000).toFixed(0)} µs, caredesk ${(ourTotal * 1000).toFixed(0)} µs ` +
        `(${(ourTotal / floorTotal).toFixed(2)}x); sustained on ${cores} cores: at most ${bound(floorTotal).toFixed(0)} and ` +
        `${bound(ourTotal).toFixed(0)} req/s, i.e. latency ~${ms((CONCURRENCY / bound(floorTotal)) * 1000)} ` +
        `and ~${ms((CONCURRENCY / bound(ourTotal)) * 1000)} with ${CONCURRENCY} in flight`,
    );

    // The floor's throughput counts requests; end to end counts distinct events (duplicates excluded).
    const floorEvents = floorRun.rps * (main.unique.size / EVENTS);
    const ratio = e2e ? e2e / floorEvents : 0;
    console.log(
      `ratios: accept ${(accepted.rps / floorRun.rps).toFixed(2)}x floor req/s; end-to-end ${(ratio * 100).toFixed(0)}% of floor events/s; ` +
        `accept p99 ${(accepted.p99 / floorRun.p99).toFixed(2)}x floor p99`,
    );
    await api.stop();
    return {
      accept: accepted.rps / floorRun.rps,
      endToEnd: e2e ? ratio : NaN,
      acceptP99: accepted.p99 / floorRun.p99,
      cpu: ourTotal / floorTotal,
      lost,
      duplicated,
    };
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await owner.end();
    await db.drop();
  }
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

async function main() {
  const rounds: RoundRatios[] = [];
  // A round points process.env at its own database (the servers inherit it); each starts from the given one.
  const databaseUrl = process.env.DATABASE_URL;
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      if (ROUNDS > 1) console.log(`\n== round ${r} of ${ROUNDS}`);
      process.env.DATABASE_URL = databaseUrl;
      rounds.push(await round());
    }
  } finally {
    agent.destroy();
  }
  const of = (pick: (r: RoundRatios) => number, scale = 1, digits = 2) => {
    const xs = rounds.map(pick).filter((x) => !Number.isNaN(x));
    if (xs.length === 0) return { median: NaN, text: 'not measured' };
    const f = (x: number) => (x * scale).toFixed(digits);
    const range = xs.length > 1 ? ` (${f(Math.min(...xs))}–${f(Math.max(...xs))})` : '';
    return { median: median(xs), text: `${f(median(xs))}${range}` };
  };
  const endToEnd = of((r) => r.endToEnd, 100, 0);
  const p99 = of((r) => r.acceptP99);
  if (ROUNDS > 1) {
    console.log(`\nmedians over ${ROUNDS} rounds (range):`);
    console.log(
      `  accept ${of((r) => r.accept).text}x floor req/s; end-to-end ${endToEnd.text}% of floor events/s`,
    );
    console.log(`  accept p99 ${p99.text}x floor p99; CPU per request ${of((r) => r.cpu).text}x the floor's`);
  }
  const lost = rounds.reduce((n, r) => n + r.lost, 0);
  const duplicated = rounds.reduce((n, r) => n + r.duplicated, 0);
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const on = ROUNDS > 1 ? ' (medians)' : '';
  console.log(`target end-to-end >= 60% of floor${on}: ${check(endToEnd.median >= 0.6)}`);
  console.log(`target accept p99 <= floor p99${on}:   ${check(p99.median <= 1)}`);
  console.log(`target 0 lost, 0 duplicated:       ${check(lost === 0 && duplicated === 0)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
