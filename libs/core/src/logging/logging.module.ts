import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * Structured JSON logs (pino) for the API and the worker, at LOG_LEVEL. Credentials never reach a
 * log line: authorization headers and cookies are redacted.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hub-signature-256"]'],
          // Health probes every few seconds would drown the log, and webhook deliveries arrive by the
          // thousand (they are counted on /metrics; rejections and failures are logged where they happen).
          autoLogging: { ignore: (req) => req.url === '/health' || !!req.url?.startsWith('/webhooks/') },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
