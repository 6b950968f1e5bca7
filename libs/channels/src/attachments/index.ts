export * from './attachments.module';
export * from './attachment-content.store';
export * from './attachment-links';
export * from './attachment-fetcher';
export * from './attachment-content.collector';
export * from './attachment-content.metrics';
