export * from './webhooks.module';
export * from './webhook.controller';
export * from './webhook.metrics';
