import { INestApplication, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppExceptionFilter } from '@caredesk/core';
import { WebhookIntake } from '@caredesk/channels';
import { AppModule } from './app.module';
import { bodyParserErrorHandler, JSON_BODY_LIMIT } from './body-errors';

function notWebhook(contentType: RegExp) {
  return (req: { url?: string; headers: Record<string, string | string[] | undefined> }): boolean =>
    !req.url?.startsWith('/webhooks/') && contentType.test(String(req.headers['content-type'] ?? ''));
}

/** Builds the API application; shared by main.ts and the end-to-end tests so both run the same app. */
export async function createApi(): Promise<INestApplication> {
  // Body parsers are registered here rather than by Nest so that the error handler below sits right
  // after them. rawBody keeps the exact bytes for webhook signature checks.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  // Platform webhooks are answered on the bare HTTP server, before Express (see WebhookIntake).
  app.get(WebhookIntake).mount(app.getHttpServer());
  // Webhooks are never parsed here: their signature is verified over the raw bytes before anything
  // else (a malformed body with a bad signature is a 401, not a parse error), and WebhookIntake
  // reads the stream itself.
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, type: notWebhook(/^application\/([\w.+-]+\+)?json/i) });
  app.useBodyParser('urlencoded', {
    limit: JSON_BODY_LIMIT,
    extended: true,
    type: notWebhook(/^application\/x-www-form-urlencoded/i),
  });
  app.use(bodyParserErrorHandler);
  // No ETag: Express would SHA-1 every GraphQL answer (~50 KB for an inbox page) for a header no
  // client uses on POST. No X-Powered-By either.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: true,
    }),
  );
  app.useGlobalFilters(new AppExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
  app.enableShutdownHooks();
  return app;
}
