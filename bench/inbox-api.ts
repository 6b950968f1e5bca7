/**
 * The real API for `bench/inbox.ts`, in its own process (as deployed), with every statement it sends
 * to PostgreSQL counted: the pg driver's Client.query is wrapped before anything loads it, so BEGIN,
 * set_config and COMMIT count too. Tells its parent its port over IPC, answers {cmd:'stats'} with the
 * statement counts and its RSS, and exits on {cmd:'stop'}.
 */
import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { tuneApiHeap } from '../apps/api/src/heap';

const TX_CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SELECT set_config\()/i;
const counts = { all: 0, data: 0 };
const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const original = proto.query;
proto.query = function (this: unknown, ...args: unknown[]) {
  const q = args[0];
  const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '');
  counts.all++;
  if (!TX_CONTROL.test(text)) counts.data++;
  return original.apply(this, args);
};

async function main() {
  tuneApiHeap(); // as apps/api/src/main.ts does
  const { createApi } = await import('../apps/api/src/bootstrap');
  const app = await createApi();
  await app.listen(0, '127.0.0.1');
  process.on('message', (m: { cmd: 'stats' | 'stop' }) => {
    if (m.cmd === 'stats') {
      const u = process.cpuUsage();
      process.send!({
        stats: {
          ...counts,
          rss: process.memoryUsage().rss,
          cpu: (u.user + u.system) / 1000,
          sys: u.system / 1000,
        },
      });
    }
    if (m.cmd === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send!({ port: (app.getHttpServer().address() as AddressInfo).port });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
