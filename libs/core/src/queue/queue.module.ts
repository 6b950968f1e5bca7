import { BullModule, getQueueToken } from '@nestjs/bull';
import { Global, Logger, Module } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QUEUES } from './queue.constants';
import { guardQueueStart } from './queue-start-guard';

/** Marks that every queue was given guardQueueStart (a provider, so it runs before processors start). */
const QUEUE_START_GUARD = Symbol('QUEUE_START_GUARD');

/**
 * The bull connection shared by every queue. `prefix` comes from QUEUE_PREFIX so that several
 * deployments (and parallel test files) on one Redis never take each other's jobs.
 * Queues close themselves on application shutdown (@nestjs/bull's onApplicationShutdown); each is
 * made safe to close while its processor is still starting (guardQueueStart). Providers are built
 * before any onModuleInit, so the guard is in place before @nestjs/bull calls `process` there.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ url: config.redis.url, prefix: config.redis.queuePrefix }),
    }),
    BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
  ],
  providers: [
    {
      provide: QUEUE_START_GUARD,
      inject: Object.values(QUEUES).map((name) => getQueueToken(name)),
      useFactory: (...queues: Queue[]) => {
        const logger = new Logger('QueueModule');
        for (const queue of queues) guardQueueStart(queue, logger);
        return true;
      },
    },
  ],
  exports: [BullModule],
})
export class QueueModule {}
