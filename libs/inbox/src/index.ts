export * from './inbox.module';
export * from './entities/contact.entity';
export * from './entities/conversation.entity';
export * from './entities/message.entity';
