export * from './x.connector';
export * from './x-connector.module';
export * from './x-signature';
