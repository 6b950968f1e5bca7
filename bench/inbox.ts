/**
 * The inbox list (issue 4, "Tests and benchmarks"): one agency with 100 brands, 100,000 conversations
 * and 1,000,000 messages (seeded with INSERT … SELECT generate_series as the owner), then
 * `conversations(first: 50)` with contact, last message, assignee and tags, BENCH_CONCURRENCY (16)
 * clients over HTTP against the real API in its own process, walking the first BENCH_PAGES (20) pages
 * by cursor.
 *
 *   floor:     the same page statement (nodeSelectSql), bare on an owner pool: no HTTP, no GraphQL,
 *              no auth, no transaction, no RLS.
 *   caredesk:  the API (auth + TenantDb transaction + RLS + GraphQL), statements counted in-process.
 *
 * Also times text search (pg_trgm ILIKE vs a 'simple' tsvector) on the same data, which is how the
 * migration's choice was made. Run: `npm run bench -- inbox` (BENCH_REQUESTS=2000 for a quick run).
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import * as argon2 from 'argon2';
import { Client, Pool } from 'pg';
import { RequestContext, Role } from '@caredesk/core';
import {
  decodeConversationCursor,
  filterSql,
  orderSql,
  Params,
  afterSql,
  sortKeySql,
} from '../libs/inbox/src/conversations/conversation-query';
import { nodeSelectSql } from '../libs/inbox/src/conversations/conversation-rows';
import { ConversationSort } from '../libs/inbox/src/conversations/dto/conversation-enums';
import {
  benchDatabase,
  benchEnv,
  load,
  ownCpuMs,
  percentile,
  postgresCpu,
  postgresCpuMsSince,
} from './support';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PAGES = Number(process.env.BENCH_PAGES ?? 20);
const POOL_SIZE = 10;
const BRANDS = 100;
const CONVERSATIONS = 100_000;
const MESSAGES_PER_CONVERSATION = 10;
const CONTACTS = 60_000;
const AGENTS = 10;
const PASSWORD = 'bench horse battery staple';

const PAGE_QUERY = `query($after: String) { conversations(first: 50, after: $after) {
  edges { cursor node { id status priority kind platform language sentiment awaitingReplySince lastMessageAt
    brand { id name } channel { id platform displayName }
    contact { id displayName avatarUrl identities { platform username } }
    lastMessage { id direction body createdAt } assignee { id name } tags { id name } } }
  pageInfo { endCursor hasNextPage } } }`;

/** Short social messages in the project's languages; a number makes each body distinct. */
const PHRASES = [
  'Where is my order? It was due yesterday',
  'Thanks so much, great service!',
  'Hvor er pakken min? Den skulle komme i går',
  'Tusen takk for hjelpen',
  'Var är min beställning? Den är försenad',
  'Tack för snabbt svar',
  'Gdzie jest moje zamówienie? Chcę zwrotu pieniędzy',
  'Dziękuję bardzo, wszystko działa',
  'Pesanan saya belum sampai, tolong dicek',
  'Terima kasih banyak atas bantuannya',
  'Đơn hàng của tôi ở đâu? Tôi muốn hoàn tiền',
  'Cảm ơn bạn rất nhiều',
];

async function seed(owner: Client, agencyId: string): Promise<{ ownerEmail: string }> {
  const tag = randomBytes(4).toString('hex');
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2 });
  const ownerEmail = `owner-${tag}@bench.test`;
  const ownerId = randomUUID();
  const q = (sql: string, params: unknown[] = []) => owner.query(sql, params);
  await q(`INSERT INTO agencies (id, name) VALUES ($1, 'Bench agency')`, [agencyId]);
  await q(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'Olivia Owner', $3)`, [
    ownerId,
    ownerEmail,
    hash,
  ]);
  await q(`INSERT INTO memberships (agency_id, id, user_id, role) VALUES ($1, $2, $3, 'OWNER')`, [
    agencyId,
    randomUUID(),
    ownerId,
  ]);
  await q(
    `INSERT INTO users (id, email, name, password_hash)
     SELECT md5('u' || i)::uuid, 'agent' || i || '-' || $1 || '@bench.test', 'Agent ' || i, $2
       FROM generate_series(0, $3 - 1) i`,
    [tag, hash, AGENTS],
  );
  await q(
    `INSERT INTO memberships (agency_id, id, user_id, role)
     SELECT $1, gen_random_uuid(), md5('u' || i)::uuid, 'AGENT' FROM generate_series(0, $2 - 1) i`,
    [agencyId, AGENTS],
  );
  const platforms = `(ARRAY['FACEBOOK_PAGE','INSTAGRAM','X','LINKEDIN','TIKTOK','GOOGLE_BUSINESS','EMAIL'])`;
  await q(
    `INSERT INTO brands (agency_id, id, name, slug, timezone)
     SELECT $1, md5('b' || i)::uuid, 'Brand ' || i, 'brand-' || i, 'UTC' FROM generate_series(0, $2 - 1) i`,
    [agencyId, BRANDS],
  );
  await q(
    `INSERT INTO channels (agency_id, id, brand_id, platform, external_account_id, display_name, credentials_sealed)
     SELECT $1, md5('ch' || i)::uuid, md5('b' || i)::uuid, ${platforms}[1 + i % 7], 'bench-' || $3 || '-' || i,
            'Channel ' || i, ''
       FROM generate_series(0, $2 - 1) i`,
    [agencyId, BRANDS, tag],
  );
  await q(
    `INSERT INTO contacts (agency_id, id, brand_id, display_name, avatar_url)
     SELECT $1, md5('ct' || i)::uuid, md5('b' || (i % $3))::uuid, 'Customer ' || i, 'https://cdn.example/a/' || i || '.png'
       FROM generate_series(0, $2 - 1) i`,
    [agencyId, CONTACTS, BRANDS],
  );
  await q(
    `INSERT INTO contact_identities (agency_id, id, brand_id, contact_id, platform, external_user_id, username)
     SELECT $1, md5('ci' || i)::uuid, md5('b' || (i % $3))::uuid, md5('ct' || i)::uuid,
            ${platforms}[1 + (i % $3) % 7], 'ext-' || i, 'user' || i
       FROM generate_series(0, $2 - 1) i`,
    [agencyId, CONTACTS, BRANDS],
  );
  // Contact i % CONTACTS is of brand i % BRANDS (CONTACTS is a multiple of BRANDS). One conversation
  // a minute into the past; the last of its 10 messages is the customer's.
  await q(
    `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key, status, priority,
        assignee_user_id, language, sentiment_label, sentiment_score, last_message_at, last_inbound_at,
        last_message_id, awaiting_reply_since, snoozed_until, resolved_at)
     SELECT $1, md5('c' || i)::uuid, md5('b' || (i % $3))::uuid, md5('ch' || (i % $3))::uuid,
            md5('ct' || (i % $4))::uuid, (ARRAY['DM','COMMENT','MENTION','REVIEW','EMAIL'])[1 + i % 5], 't:' || i,
            s.status, (ARRAY['LOW','NORMAL','NORMAL','HIGH','URGENT'])[1 + i % 5],
            CASE WHEN i % 2 = 1 THEN md5('u' || (i % $5))::uuid END,
            (ARRAY['en','nb','sv','pl','id','vi'])[1 + i % 6], (ARRAY['POSITIVE','NEUTRAL','NEGATIVE'])[1 + i % 3],
            ((i % 3) - 1) * 0.7, t.at, t.at, md5('m' || i || '-9')::uuid,
            CASE WHEN s.status IN ('OPEN','SNOOZED') THEN t.at END,
            CASE WHEN s.status = 'SNOOZED' THEN now() + interval '1 day' END,
            CASE WHEN s.status = 'RESOLVED' THEN t.at END
       FROM generate_series(0, $2 - 1) i,
            LATERAL (SELECT CASE WHEN i % 20 < 12 THEN 'OPEN' WHEN i % 20 < 15 THEN 'PENDING'
                                 WHEN i % 20 = 15 THEN 'SNOOZED' ELSE 'RESOLVED' END AS status) s,
            LATERAL (SELECT now() - make_interval(secs => i * 60 + (i % 7) * 0.001) AS at) t`,
    [agencyId, CONVERSATIONS, BRANDS, CONTACTS, AGENTS],
  );
  await q(
    `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, visibility, external_id,
        body, status, created_at)
     SELECT $1, md5('m' || i || '-' || k)::uuid, md5('b' || (i % $3))::uuid, md5('ch' || (i % $3))::uuid,
            md5('c' || i)::uuid, CASE WHEN k % 2 = 1 THEN 'INBOUND' ELSE 'OUTBOUND' END, 'PRIVATE',
            'bm-' || i || '-' || k, ($4::text[])[1 + (i * 10 + k) % $5] || ' #' || (i * 10 + k),
            CASE WHEN k % 2 = 1 THEN 'RECEIVED' ELSE 'SENT' END,
            now() - make_interval(secs => i * 60 + (9 - k) * 5)
       FROM generate_series(0, $2 - 1) i, generate_series(0, 9) k`,
    [agencyId, CONVERSATIONS, BRANDS, PHRASES, PHRASES.length],
  );
  await q(
    `INSERT INTO tags (agency_id, id, brand_id, name)
     SELECT $1, md5('t' || b || '-' || n)::uuid, md5('b' || b)::uuid,
            (ARRAY['Refund','Shipping','VIP','Complaint','Praise'])[1 + n]
       FROM generate_series(0, $2 - 1) b, generate_series(0, 4) n`,
    [agencyId, BRANDS],
  );
  await q(
    `INSERT INTO conversation_tags (agency_id, conversation_id, tag_id)
     SELECT $1, md5('c' || i)::uuid, md5('t' || (i % $3) || '-' || (i % 5))::uuid
       FROM generate_series(0, $2 - 1) i WHERE i % 2 = 0`,
    [agencyId, CONVERSATIONS, BRANDS],
  );
  return { ownerEmail };
}

interface ApiProcess {
  port: number;
  stats(): Promise<{ all: number; data: number; rss: number; cpu: number; sys: number }>;
  stop(): Promise<void>;
}

/**
 * The API in its own process. Default: the TypeScript sources through ts-node (bench/inbox-api.ts).
 * BENCH_API=dist: the built API (`nest build api`, as deployed) with bench/inbox-api-preload.js.
 */
async function startApi(env: NodeJS.ProcessEnv): Promise<ApiProcess> {
  const dist = process.env.BENCH_API === 'dist';
  const port = dist ? await freePort() : 0;
  if (dist) {
    await new Promise<void>((resolve, reject) => {
      const build = spawn(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', 'api'], {
        stdio: 'inherit',
      });
      build.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`nest build api: ${code}`))));
    });
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the API process, to see where its time goes.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      // BENCH_API_NODE_ARGS: V8 flags for the API process (e.g. heap sizes), to try deployment settings.
      ...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ...(dist
        ? ['-r', './bench/inbox-api-preload.js', 'dist/apps/api/apps/api/src/main.js']
        : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/inbox-api.ts']),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...env, TS_NODE_PROJECT: 'tsconfig.json', ...(dist ? { PORT: String(port) } : {}) },
    },
  );
  type Reply = { port: number; stats: Awaited<ReturnType<ApiProcess['stats']>> };
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Reply));
      child.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
    });
  const listening = dist ? (await waitListening(port), port) : (await next()).port;
  return {
    port: listening,
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

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function waitListening(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the built API did not start listening');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are read by shape
type Data = any;

function graphql(port: number, token: string | null, query: string, variables: unknown): Promise<Data> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (json.errors) reject(new Error(JSON.stringify(json.errors)));
          else resolve(json.data);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function timed(label: string, work: () => Promise<unknown>, times = 3): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    await work();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const median = percentile(runs, 50);
  console.log(`  ${label.padEnd(58)} median ${median.toFixed(1)} ms`);
  return median;
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const check = (ok: boolean) => (ok ? 'met' : 'NOT met');

async function main() {
  // BENCH_REUSE_DB=<owner url of a database kept by BENCH_KEEP_DB=1>: skip seeding, to iterate quickly.
  const reuse = process.env.BENCH_REUSE_DB;
  const db = reuse ? { ownerUrl: reuse, drop: async () => undefined } : await benchDatabase();
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  let api: ApiProcess | null = null;
  try {
    let agencyId: string;
    let ownerEmail: string;
    let trgmBuild = 0;
    let t0 = Date.now();
    if (reuse) {
      const found = await owner.query(
        `SELECT a.id, u.email FROM agencies a JOIN memberships m ON m.agency_id = a.id AND m.role = 'OWNER'
           JOIN users u ON u.id = m.user_id WHERE a.name = 'Bench agency'`,
      );
      ({ id: agencyId, email: ownerEmail } = found.rows[0]);
      await owner.query(`DROP INDEX IF EXISTS bench_messages_tsv`);
    } else {
      agencyId = randomUUID();
      // The trigram index is built after the bulk insert (cheaper than maintaining it row by row).
      await owner.query(`DROP INDEX messages_body_trgm_idx`);
      ({ ownerEmail } = await seed(owner, agencyId));
      console.log(
        `inbox: seeded ${BRANDS} brands, ${CONVERSATIONS} conversations, ${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages ` +
          `in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      t0 = Date.now();
      await owner.query(`CREATE INDEX messages_body_trgm_idx ON messages USING gin (body gin_trgm_ops)`);
      trgmBuild = (Date.now() - t0) / 1000;
      await owner.query(`VACUUM ANALYZE`);
    }

    const env = benchEnv(db.ownerUrl, POOL_SIZE, {});
    api = await startApi(env);
    const login = await graphql(
      api.port,
      null,
      `
        mutation ($input: LoginInput!) {
          login(input: $input) {
            accessToken
          }
        }
      `,
      { input: { email: ownerEmail, password: PASSWORD, agencyId } },
    );
    const token: string = login.login.accessToken;
    const bootRss = (await api.stats()).rss / 1024 / 1024;

    // The cursors of the first PAGES pages; request i asks for page i % PAGES.
    const cursors: Array<string | null> = [null];
    while (cursors.length < PAGES) {
      const d = await graphql(api.port, token, PAGE_QUERY, { after: cursors.at(-1) });
      cursors.push(d.conversations.pageInfo.endCursor);
    }
    const pageBytes = Buffer.byteLength(
      JSON.stringify({ data: await graphql(api.port, token, PAGE_QUERY, { after: null }) }),
    );
    console.log(
      `conversations(first: 50) with contact, last message, assignee, tags: ${REQUESTS} requests, ` +
        `${CONCURRENCY} concurrent, pages 1–${PAGES} by cursor (${(pageBytes / 1024).toFixed(1)} KB a page)`,
    );

    // ---- floor: the same statement, bare, on an owner pool
    const pool = new Pool({ connectionString: db.ownerUrl, max: POOL_SIZE });
    const ctx = new RequestContext({
      agencyId,
      actor: { kind: 'system', reason: 'bench floor' },
      role: Role.OWNER,
      brandIds: null,
    });
    const floorStatement = (after: string | null) => {
      const p = new Params();
      const where = filterSql(ctx, undefined, p);
      if (after) where.push(afterSql(decodeConversationCursor(after, ConversationSort.NEWEST), p));
      const inner = `SELECT * FROM conversations c WHERE ${where.join(' AND ')}
                      ORDER BY ${orderSql(ConversationSort.NEWEST)} LIMIT ${p.add(51)}`;
      return {
        text: nodeSelectSql(inner, sortKeySql(ConversationSort.NEWEST), orderSql(ConversationSort.NEWEST)),
        values: p.values,
      };
    };
    const floorOp = async (i: number) => {
      const s = floorStatement(cursors[i % PAGES]);
      const r = await pool.query(s.text, s.values);
      if (r.rows.length !== 51) throw new Error('floor page short');
    };
    await load(1000, CONCURRENCY, floorOp);
    const floorCpu0 = { pg: postgresCpu(), self: ownCpuMs() };
    const floor = await load(REQUESTS, CONCURRENCY, floorOp);
    const floorCpu = { pg: postgresCpuMsSince(floorCpu0.pg), self: ownCpuMs() - floorCpu0.self };
    const f = {
      rps: REQUESTS / floor.seconds,
      p50: percentile(floor.latencies, 50),
      p99: percentile(floor.latencies, 99),
    };
    console.log(
      `floor (bare SQL, owner pool)   ${f.rps.toFixed(0).padStart(6)} req/s   p50 ${ms(f.p50)}   p99 ${ms(f.p99)}`,
    );

    // ---- caredesk over HTTP
    const apiOp = async (i: number) => {
      const d = await graphql(api!.port, token, PAGE_QUERY, { after: cursors[i % PAGES] });
      if (d.conversations.edges.length !== 50) throw new Error('API page short');
    };
    await load(1000, CONCURRENCY, apiOp);
    const before = await api.stats();
    const apiCpu0 = { pg: postgresCpu(), self: ownCpuMs() };
    const run = await load(REQUESTS, CONCURRENCY, apiOp);
    const apiCpu = { pg: postgresCpuMsSince(apiCpu0.pg), self: ownCpuMs() - apiCpu0.self };
    const after = await api.stats();
    const c = {
      rps: REQUESTS / run.seconds,
      p50: percentile(run.latencies, 50),
      p99: percentile(run.latencies, 99),
    };
    const all = (after.all - before.all) / REQUESTS;
    const data = (after.data - before.data) / REQUESTS;
    const rssMb = after.rss / 1024 / 1024;
    console.log(
      `caredesk API (HTTP, GraphQL)   ${c.rps.toFixed(0).padStart(6)} req/s   p50 ${ms(c.p50)}   p99 ${ms(c.p99)}`,
    );
    console.log(
      `  SQL statements per request: ${all.toFixed(2)} in all (${data.toFixed(2)} data; the rest BEGIN, set_config, COMMIT ` +
        `of the auth and the page transactions)`,
    );
    console.log(
      `  API RSS after the run: ${rssMb.toFixed(0)} MB (${bootRss.toFixed(0)} MB right after boot; ` +
        (process.env.BENCH_API === 'dist'
          ? 'the built API, as deployed)'
          : 'TypeScript through ts-node, whose compiler stays loaded; BENCH_API=dist measures the build)'),
    );
    // Where the two cores go: CPU ms per request of PostgreSQL, the API process and this load generator.
    const per = (msTotal: number) => (msTotal / REQUESTS).toFixed(2);
    console.log(
      `  CPU per request: floor — PostgreSQL ${per(floorCpu.pg)} ms, load generator ${per(floorCpu.self)} ms; ` +
        `API — PostgreSQL ${per(apiCpu.pg)} ms, API process ${per(after.cpu - before.cpu)} ms (${per(after.sys - before.sys)} in the kernel), load generator ${per(apiCpu.self)} ms`,
    );
    const ratio = c.p50 / f.p50;
    console.log(
      `ratio: p50 ${ratio.toFixed(2)}x floor, throughput ${(f.rps / c.rps).toFixed(2)}x below floor`,
    );
    console.log(
      `targets: p50 ≤ 10 ms ${check(c.p50 <= 10)}; p99 ≤ 30 ms ${check(c.p99 <= 30)}; ≤ 6 statements ` +
        `${check(all <= 6)} (all) / ${check(data <= 6)} (data); ≤ 3x floor ${check(ratio <= 3)}; RSS ≤ 300 MB ${check(rssMb <= 300)}`,
    );

    // ---- one client at a time: latency without queueing (2 cores are shared by the DB, API and load)
    const floorOne = await load(500, 1, floorOp);
    const apiOne = await load(500, 1, apiOp);
    console.log(
      `one client: floor p50 ${ms(percentile(floorOne.latencies, 50))} p99 ${ms(percentile(floorOne.latencies, 99))}; ` +
        `API p50 ${ms(percentile(apiOne.latencies, 50))} p99 ${ms(percentile(apiOne.latencies, 99))}`,
    );

    // ---- text search: pg_trgm (the migration's choice) against a 'simple' tsvector
    console.log(
      `search over ${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages (trigram GIN built in ${trgmBuild.toFixed(1)} s):`,
    );
    const search = (term: string) =>
      graphql(
        api!.port,
        token,
        PAGE_QUERY.replace('first: 50', `first: 50, filter: { search: ${JSON.stringify(term)} }`),
        {},
      );
    await timed('API conversationCounts (all brands, 100,000 conversations)', () =>
      graphql(
        api!.port,
        token,
        `
          {
            conversationCounts {
              open
              pending
              snoozed
              resolved
              total
            }
          }
        `,
        {},
      ),
    );
    await timed('API search "zamówienie" (Polish, 1 message in 12)', () => search('zamówienie'));
    await timed('API search "hoàn tiền" (Vietnamese, 1 in 12)', () => search('hoàn tiền'));
    await timed('API search "#424242" (one message)', () => search('#424242'));
    await timed('API search "pakken min" (Norwegian phrase, 1 in 12)', () => search('pakken min'));
    await timed('API search "no such words" (nothing matches)', () => search('no such words'));
    const sqlTrgm = (term: string) =>
      owner.query(`SELECT count(*) FROM messages WHERE agency_id = $1 AND body ILIKE $2`, [
        agencyId,
        `%${term}%`,
      ]);
    await timed('SQL trigram: messages ILIKE "%zamówienie%" (count all)', () => sqlTrgm('zamówienie'));
    await timed('SQL trigram: messages ILIKE "%ówienie%" (a word part)', () => sqlTrgm('ówienie'));
    t0 = Date.now();
    await owner.query(`CREATE INDEX bench_messages_tsv ON messages USING gin (to_tsvector('simple', body))`);
    console.log(`  'simple' tsvector GIN built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const sqlTsv = (query: string) =>
      owner.query(
        `SELECT count(*) FROM messages WHERE agency_id = $1 AND to_tsvector('simple', body) @@ plainto_tsquery('simple', $2)`,
        [agencyId, query],
      );
    await timed('SQL tsvector: "zamówienie" (count all)', () => sqlTsv('zamówienie'));
    await timed('SQL tsvector: "ówienie" (a word part: finds nothing)', () => sqlTsv('ówienie'));
    const sizes = (
      await owner.query(`SELECT pg_size_pretty(pg_relation_size('messages_body_trgm_idx')) AS trgm,
                                pg_size_pretty(pg_relation_size('bench_messages_tsv')) AS tsv`)
    ).rows[0];
    console.log(`  index sizes: trigram ${sizes.trgm}, tsvector ${sizes.tsv}`);
    await pool.end();
  } finally {
    await api?.stop();
    await owner.end();
    // BENCH_KEEP_DB=1 keeps the seeded database for EXPLAIN sessions (printed; drop it yourself).
    if (process.env.BENCH_KEEP_DB === '1') console.log(`kept database: ${db.ownerUrl}`);
    else await db.drop();
  }
}

main().then(
  // Exit explicitly: with BENCH_KEEP_DB the admin connection of benchDatabase() stays open.
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
