/**
 * The two servers `bench/ingest.ts` loads, each run as its own process (as deployed), so neither
 * shares an event loop with the load generator: `floor` or `api` as the first argument. Each tells
 * its parent its port over IPC, answers {cmd:'stats'}, and exits on {cmd:'stop'}.
 */
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { tuneApiHeap } from '../apps/api/src/heap';

type Message = { cmd: 'stats' | 'stop' };

/** The floor: HMAC-SHA256 over the raw body, then one INSERT … ON CONFLICT DO NOTHING per event. */
async function floor(): Promise<{ port: number; stats(): unknown; close(): Promise<void> }> {
  const secret = process.env.META_APP_SECRET!;
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE),
  });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(403).end();
        return;
      }
      const entry = JSON.parse(raw.toString('utf8')).entry[0];
      pool
        .query(`INSERT INTO floor_events (event_key, payload) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          entry.messaging[0].message.mid,
          entry,
        ])
        .then(
          () => res.writeHead(200).end(),
          () => res.writeHead(503).end(),
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    stats: () => null,
    close: async () => {
      await new Promise((r) => server.close(r));
      await pool.end();
    },
  };
}

async function api(): Promise<{ port: number; stats(): unknown; close(): Promise<void> }> {
  tuneApiHeap(); // as apps/api/src/main.ts does
  const { createApi } = await import('../apps/api/src/bootstrap');
  const { InboundEventWriter } = await import('@caredesk/channels');
  const app = await createApi();
  await app.listen(0, '127.0.0.1');
  return {
    port: (app.getHttpServer().address() as AddressInfo).port,
    stats: () => app.get(InboundEventWriter).stats,
    close: () => app.close(),
  };
}

async function main() {
  const server = process.argv[2] === 'api' ? await api() : await floor();
  process.on('message', (m: Message) => {
    if (m.cmd === 'stats') process.send!({ stats: server.stats() });
    if (m.cmd === 'stop') void server.close().then(() => process.exit(0));
  });
  process.send!({ port: server.port });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
