import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@caredesk/audit';
import { AttachmentsModule, OutboxModule } from '@caredesk/channels';
import { AttachmentCopyJobs } from './attachment-copies/attachment-copy.jobs';
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
    AttachmentsModule,
    AuditModule,
  ],
  providers: [ContactService, ThreadingService, AttachmentCopyJobs],
  exports: [ContactService, ThreadingService],
})
export class InboxModule {}
