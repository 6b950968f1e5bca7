import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { MessageDto } from '../dto/message.dto';
import { ModerateMessageInput } from './dto/moderate-message.input';
import { ReplyToConversationInput } from './dto/reply-to-conversation.input';
import { ModerationService } from './moderation.service';
import { ReplyService } from './reply.service';

@Resolver(() => MessageDto)
export class RepliesResolver {
  constructor(
    private readonly replies: ReplyService,
    private readonly moderation: ModerationService,
  ) {}

  @Mutation(() => MessageDto, {
    description:
      'Answers a conversation (AGENT+). PUBLIC answers where the customer wrote; PRIVATE on a comment or mention ' +
      "sends the platform's private reply to its author and links the DM conversation. The message is QUEUED, " +
      'then SENT (externalId) or FAILED (failureCode).',
  })
  async replyToConversation(
    @Ctx() ctx: RequestContext,
    @Args('input') input: ReplyToConversationInput,
  ): Promise<MessageDto> {
    return MessageDto.from(await this.replies.reply(ctx, input));
  }

  @Mutation(() => MessageDto, {
    description:
      'Hides, unhides or deletes a Facebook or Instagram comment on the platform (MANAGER+). hiddenAt / deletedAt ' +
      'are set once the platform has done it.',
  })
  async moderateMessage(
    @Ctx() ctx: RequestContext,
    @Args('input') input: ModerateMessageInput,
  ): Promise<MessageDto> {
    return MessageDto.from(await this.moderation.moderate(ctx, input));
  }
}
