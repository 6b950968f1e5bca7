import { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

/**
 * Builds the worker (a Nest application context: no HTTP). Shared by main.ts and the end-to-end
 * tests, which boot it in-process against the same environment as the test API.
 */
export async function createWorker(
  logger: LoggerService | LogLevel[] | false = ['error', 'warn', 'log'],
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger });
  await app.init();
  return app;
}
