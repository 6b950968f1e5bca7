export * from './mail-message';
export * from './mail.service';
export * from './mail.processor';
export * from './mail.module';
