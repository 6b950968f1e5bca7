export * from './outbound-message.entity';
export * from './outbound-result.registry';
export * from './channel-lifecycle.hooks';
export * from './outbox.service';
export * from './outbound.sweeper';
export * from './outbox.module';
