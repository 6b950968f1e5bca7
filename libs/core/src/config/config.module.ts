import { Global, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { APP_CONFIG, AppConfig, loadConfig } from './app-config';

/**
 * The validated configuration as a @nestjs/config namespace. `registerAs` factories run when the
 * application is created (not when this file is imported, as `forRoot({ validate })` would), so a
 * test can set its environment first; a bad variable still stops start-up before anything connects.
 */
export const caredeskConfig = registerAs('caredesk', (): AppConfig => loadConfig(process.env));

@Global()
@Module({
  imports: [
    // .env files are read by the start script, not here: the process environment is the one source.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    ConfigModule.forFeature(caredeskConfig),
  ],
  providers: [
    { provide: APP_CONFIG, inject: [caredeskConfig.KEY], useFactory: (config: AppConfig) => config },
  ],
  exports: [APP_CONFIG],
})
export class CoreConfigModule {}
