export * from './meta.connector';
export * from './meta-connector.module';
