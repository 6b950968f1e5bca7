export * from './outbound-message.entity';
export * from './outbound-result.registry';
export * from './channel-reconnect.hooks';
export * from './outbox.service';
export * from './outbound.sweeper';
export * from './outbox.module';
