import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QUEUES } from './queue.constants';

/**
 * The bull connection shared by every queue. `prefix` comes from QUEUE_PREFIX so that several
 * deployments (and parallel test files) on one Redis never take each other's jobs.
 * Queues close themselves on application shutdown (@nestjs/bull's onApplicationShutdown).
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
  exports: [BullModule],
})
export class QueueModule {}
