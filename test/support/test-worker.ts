import { INestApplicationContext } from '@nestjs/common';
import { createWorker } from '../../apps/worker/src/bootstrap';

export interface TestWorker {
  app: INestApplicationContext;
  close(): Promise<void>;
}

/**
 * Boots the real worker in this process. Start it after `startTestApp(…)`: it reads the same
 * process.env (database, QUEUE_PREFIX, SMTP_URL), so it consumes exactly this file's queues.
 */
export async function startTestWorker(): Promise<TestWorker> {
  const app = await createWorker();
  return { app, close: () => app.close() };
}
