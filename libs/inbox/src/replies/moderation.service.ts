import { Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import { AppError, isUuid, RequestContext, Role, TenantDb } from '@caredesk/core';
import { ChannelService, OutboxService, Platform } from '@caredesk/channels';
import { Conversation } from '../entities/conversation.entity';
import { Message } from '../entities/message.entity';
import { ModerateMessageInput } from './dto/moderate-message.input';

/**
 * Only Facebook Page and Instagram comments can be hidden, unhidden or deleted by the brand through
 * the platform API (Graph API: `POST /{comment-id}` with `is_hidden` / `hide`, `DELETE /{comment-id}`).
 */
const MODERATABLE: ReadonlySet<string> = new Set([Platform.FACEBOOK_PAGE, Platform.INSTAGRAM]);

@Injectable()
export class ModerationService {
  constructor(
    private readonly db: TenantDb,
    private readonly outbox: OutboxService,
    private readonly channels: ChannelService,
    private readonly audit: AuditService,
  ) {}

  /** Queues the platform call; hidden_at / deleted_at are set once the platform has done it. */
  async moderate(ctx: RequestContext, input: ModerateMessageInput): Promise<Message> {
    ctx.requireRole(Role.MANAGER);
    return this.db.run(ctx, async (tx) => {
      const message = isUuid(input.messageId)
        ? await tx.repo(Message).findOneBy({ id: input.messageId })
        : null;
      if (!message || !ctx.canSeeBrand(message.brandId)) throw AppError.notFound('Message');
      const conversation = (await tx.repo(Conversation).findOneBy({ id: message.conversationId }))!;
      const channel = await this.channels.getConnected(ctx, message.channelId, 'messageId');
      if (!MODERATABLE.has(channel.platform) || conversation.kind !== 'COMMENT' || !message.externalId) {
        throw AppError.badInput('Moderation is not supported on this platform', 'messageId');
      }
      await this.outbox.enqueue(ctx, {
        brandId: message.brandId,
        channelId: message.channelId,
        messageId: message.id,
        action: input.action,
        payload: {
          body: '',
          target: {
            ...(message.replyContext ?? {}),
            externalId: message.externalId,
            threadKey: conversation.threadKey,
            ...(message.parentExternalId ? { parentExternalId: message.parentExternalId } : {}),
          },
        },
      });
      await this.audit.record(ctx, {
        action: 'message.moderate',
        entityType: 'message',
        entityId: message.id,
        brandId: message.brandId,
        changes: { action: input.action },
      });
      return message;
    });
  }
}
