export * from './inbound.module';
export * from './inbound-sweeper.module';
export * from './inbound-sweeper';
export * from './inbound-event-pruner';
export * from './inbound-event.writer';
export * from './ingest-jobs';
export * from './intake-pressure';
export * from './dto/inbound-event.dto';
