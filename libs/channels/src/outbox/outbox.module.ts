import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@caredesk/audit';
import { MailModule } from '@caredesk/core';
import { ChannelsModule } from '../channels.module';
import { ChannelLifecycleHooks } from './channel-lifecycle.hooks';
import { OutboundMessage } from './outbound-message.entity';
import { OutboundResultRegistry } from './outbound-result.registry';
import { OutboxService } from './outbox.service';
import { OutboundSweeper } from './outbound.sweeper';
import { SendProcessor } from './send.processor';
import { SendRecorder } from './send.recorder';

/**
 * The producer side (API and worker): OutboxService and the result registry. Resumes a channel's
 * waiting sends when ChannelService.reconnect runs.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OutboundMessage]), ChannelsModule],
  providers: [OutboxService, OutboundResultRegistry],
  exports: [OutboxService, OutboundResultRegistry],
})
export class OutboxModule implements OnModuleInit {
  constructor(
    private readonly hooks: ChannelLifecycleHooks,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.hooks.onReconnect('outbox', async (_ctx, tx, channel) => {
      await this.outbox.resumeChannel(tx, channel.id);
    });
    this.hooks.onDisconnect('outbox', async (_ctx, tx, channel) => {
      await this.outbox.failWaiting(tx, channel.id);
    });
  }
}

/**
 * The worker side: the `send` processor and the outbound sweeper. Import in the worker only.
 * AuditModule: ChannelsModule's services need the (global) AuditService, which the API imports itself.
 */
@Module({
  imports: [OutboxModule, ChannelsModule, MailModule, AuditModule],
  providers: [SendProcessor, SendRecorder, OutboundSweeper],
  exports: [OutboundSweeper],
})
export class SendWorkerModule {}
