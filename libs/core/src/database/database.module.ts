import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QueryErrorLogger } from './query-error-logger';
import { SystemDb, TenantDb } from './tenant-db';

/**
 * Connects as the application role (caredesk_app: not the owner, no BYPASSRLS). Schema changes only
 * ever come from migrations; `synchronize` stays off everywhere, tests included.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.database.appUrl,
        autoLoadEntities: true,
        synchronize: false,
        migrationsRun: false,
        logging: ['error' as const],
        logger: new QueryErrorLogger(),
        extra: { max: config.database.poolSize, application_name: 'caredesk' },
      }),
    }),
  ],
  providers: [TenantDb, SystemDb],
  exports: [TenantDb, SystemDb],
})
export class DatabaseModule {}
