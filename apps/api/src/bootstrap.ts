import { INestApplication, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { AppExceptionFilter } from '@caredesk/core';
import { AppModule } from './app.module';

/** Builds the API application; shared by main.ts and the end-to-end tests so both run the same app. */
export async function createApi(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'], bodyParser: true });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidUnknownValues: true, transform: true, stopAtFirstError: true }),
  );
  app.useGlobalFilters(new AppExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
  app.enableShutdownHooks();
  return app;
}
