import { Module } from '@nestjs/common';
import { AuditModule } from '@caredesk/audit';
import { BrandsModule } from '@caredesk/brands';
import { AttachmentsModule } from '@caredesk/channels';
import { MailModule } from '@caredesk/core';
import { ContactMergeService } from '../contacts/contact-merge.service';
import { ContactsResolver } from '../contacts/contacts.resolver';
import { MessageAttachmentResolver } from '../dto/message-attachment.resolver';
import { LiveModule } from '../live/live.module';
import { NoteService } from '../notes/note.service';
import { TagService } from '../tags/tag.service';
import { TagsResolver } from '../tags/tags.resolver';
import { TeamService } from '../teams/team.service';
import { TeamsResolver } from '../teams/teams.resolver';
import { ConversationActionsResolver } from './conversation-actions.resolver';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationQueryService } from './conversation-query.service';
import { ConversationsResolver } from './conversations.resolver';

/** The agent's inbox over GraphQL: the list, one conversation, and what agents do to them. */
@Module({
  imports: [BrandsModule, AuditModule, MailModule, LiveModule, AttachmentsModule],
  providers: [
    ConversationQueryService,
    ConversationActionsService,
    ConversationsResolver,
    ConversationActionsResolver,
    NoteService,
    TagService,
    TagsResolver,
    TeamService,
    TeamsResolver,
    ContactMergeService,
    ContactsResolver,
    MessageAttachmentResolver,
  ],
  exports: [ConversationQueryService, ConversationActionsService],
})
export class ConversationsModule {}
