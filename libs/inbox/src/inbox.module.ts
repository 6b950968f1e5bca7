import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '@caredesk/channels';
import { ContactService } from './contacts/contact.service';
import { Contact, ContactIdentity } from './entities/contact.entity';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { ThreadingService } from './threading/threading.service';
import { RepliesModule } from './replies/replies.module';
import { LiveModule } from './live/live.module';

/** Contacts, conversations and messages: what agents work in. Imported by the API and the worker. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Contact, ContactIdentity, Conversation, Message]),
    RepliesModule,
    OutboxModule,
    LiveModule,
  ],
  providers: [ContactService, ThreadingService],
  exports: [ContactService, ThreadingService],
})
export class InboxModule {}
