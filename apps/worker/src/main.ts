import 'reflect-metadata';
import { ConfigError, loadConfig } from '@caredesk/core';
import { createWorker } from './bootstrap';

async function main() {
  // Validate first: a bad variable stops start-up with one line naming it, before anything connects.
  loadConfig(process.env);
  const app = await createWorker();
  console.log('caredesk worker started');

  // Closing the application closes the queues: a job in progress finishes (bull waits for it) and
  // no new one is taken, so a restart never leaves a half-sent mail to be retried twice.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`caredesk worker: ${signal}, shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (e) {
      console.error(e);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
