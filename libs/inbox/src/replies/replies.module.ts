import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@caredesk/audit';
import { ChannelsModule, OutboundResultRegistry, OutboxModule } from '@caredesk/channels';
import { Conversation } from '../entities/conversation.entity';
import { Message } from '../entities/message.entity';
import { LiveModule } from '../live/live.module';
import { MessageStatusHandler } from './message-status.handler';
import { ModerationService } from './moderation.service';
import { RepliesResolver } from './replies.resolver';
import { ReplyChecks } from './reply-checks';
import { ReplyService } from './reply.service';

/**
 * Replies and moderation (API), and the message side of finished sends (worker: the handler must be
 * registered where the send processor runs). AuditModule: ChannelsModule and moderation audit.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, Message]),
    OutboxModule,
    ChannelsModule,
    AuditModule,
    LiveModule,
  ],
  providers: [ReplyService, ModerationService, RepliesResolver, ReplyChecks, MessageStatusHandler],
  exports: [ReplyService, ModerationService, ReplyChecks],
})
export class RepliesModule implements OnModuleInit {
  constructor(
    private readonly results: OutboundResultRegistry,
    private readonly statusHandler: MessageStatusHandler,
  ) {}

  onModuleInit(): void {
    this.results.register(this.statusHandler);
  }
}
