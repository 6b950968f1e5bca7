export * from './linkedin.connector';
export * from './linkedin-connector.module';
export * from './linkedin-signature';
