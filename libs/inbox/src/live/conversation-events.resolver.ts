import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { ConversationEventDto } from './dto/conversation-event.dto';
import { LiveConnection } from './live-connection';
import { LiveFeedService } from './live-feed.service';
import { LiveSocket } from './live-socket.decorator';

@Resolver(() => ConversationEventDto)
export class ConversationEventsResolver {
  constructor(private readonly feed: LiveFeedService) {}

  @Subscription(() => ConversationEventDto, {
    description:
      'New messages and conversation changes of the brands you may see (AGENT+), over graphql-ws. ' +
      'brandIds narrows it (an empty list matches nothing); a brand you may not see is NOT_FOUND. Events carry ids only.',
    resolve: (event: ConversationEventDto) => event,
  })
  conversationEvents(
    @Ctx() ctx: RequestContext,
    @LiveSocket() socket: LiveConnection | null,
    @Args('brandIds', { type: () => [ID], nullable: true }) brandIds?: string[] | null,
  ): Promise<AsyncIterableIterator<ConversationEventDto>> {
    return this.feed.conversationEvents(ctx, socket, brandIds);
  }
}
