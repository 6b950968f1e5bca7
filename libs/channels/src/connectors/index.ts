export * from './connector';
export * from './connector.registry';
export * from './reply-capabilities';
export * from './connectors.module';
export * from './all-connectors.module';
export * from './email/email-intake.module';
