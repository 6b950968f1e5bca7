export * from './connector';
export * from './connector.registry';
export * from './connectors.module';
