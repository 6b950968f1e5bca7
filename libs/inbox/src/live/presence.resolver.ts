import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { ConversationPresenceDto, PresenceState } from './dto/presence.dto';
import { LiveConnection } from './live-connection';
import { LiveFeedService } from './live-feed.service';
import { LiveSocket } from './live-socket.decorator';
import { PresenceService } from './presence.service';

/**
 * Presence is not audited: it is ephemeral state repeated every few seconds, not a change to the
 * agency's data, and an audit row per heartbeat would bury the changes that matter.
 */
@Resolver(() => ConversationPresenceDto)
export class PresenceResolver {
  constructor(
    private readonly presenceService: PresenceService,
    private readonly feed: LiveFeedService,
  ) {}

  @Query(() => ConversationPresenceDto, {
    description: 'Who is viewing or typing in a conversation now (AGENT+).',
  })
  presence(
    @Ctx() ctx: RequestContext,
    @Args('conversationId', { type: () => ID }) conversationId: string,
  ): Promise<ConversationPresenceDto> {
    return this.presenceService.list(ctx, conversationId);
  }

  @Mutation(() => ConversationPresenceDto, {
    description:
      'Says you are VIEWING, TYPING or IDLE in a conversation (AGENT+, people only), or LEFT it. Repeat it ' +
      'as a heartbeat (every 10 s or so): without one the entry disappears after PRESENCE_TTL_SECONDS. Sent ' +
      'over the websocket, the entry also disappears when that socket closes. Answers the presence after it.',
  })
  setPresence(
    @Ctx() ctx: RequestContext,
    @LiveSocket() socket: LiveConnection | null,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('state', { type: () => PresenceState }) state: PresenceState,
  ): Promise<ConversationPresenceDto> {
    return this.presenceService.set(ctx, conversationId, state, socket ?? undefined);
  }

  @Subscription(() => ConversationPresenceDto, {
    description:
      "A conversation's presence (AGENT+): the current list at once, then the whole list after every change.",
    resolve: (presence: ConversationPresenceDto) => presence,
  })
  conversationPresence(
    @Ctx() ctx: RequestContext,
    @LiveSocket() socket: LiveConnection | null,
    @Args('conversationId', { type: () => ID }) conversationId: string,
  ): Promise<AsyncIterableIterator<ConversationPresenceDto>> {
    return this.feed.conversationPresence(ctx, socket, conversationId);
  }
}
