import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contact, ContactIdentity } from './entities/contact.entity';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';

/** Contacts, conversations and messages: what agents work in. Imported by the API and the worker. */
@Module({
  imports: [TypeOrmModule.forFeature([Contact, ContactIdentity, Conversation, Message])],
  providers: [],
  exports: [],
})
export class InboxModule {}
