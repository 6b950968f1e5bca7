export * from './webhooks.module';
export * from './webhook-intake';
export * from './webhook.metrics';
