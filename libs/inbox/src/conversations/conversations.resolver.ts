import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { NoteDto } from '../notes/note.dto';
import { NoteService } from '../notes/note.service';
import { ConversationQueryService } from './conversation-query.service';
import {
  ConversationConnection,
  ConversationCounts,
  MessageConnection,
} from './dto/conversation-connection.dto';
import { ConversationDetailDto } from './dto/conversation-detail.dto';
import { ConversationSort } from './dto/conversation-enums';
import { ConversationFilter } from './dto/conversation-filter.input';
import { ConversationDto } from './dto/conversation.dto';

@Resolver(() => ConversationDetailDto)
export class ConversationsResolver {
  constructor(
    private readonly reader: ConversationQueryService,
    private readonly noteService: NoteService,
  ) {}

  @Query(() => ConversationConnection, {
    description:
      'The inbox across every brand the caller may see (AGENT+), filtered and sorted, keyset-paginated. ' +
      'A brandIds entry the caller may not see → NOT_FOUND.',
  })
  conversations(
    @Ctx() ctx: RequestContext,
    @Args('filter', { type: () => ConversationFilter, nullable: true }) filter?: ConversationFilter,
    @Args('sort', { type: () => ConversationSort, nullable: true, defaultValue: ConversationSort.NEWEST })
    sort?: ConversationSort,
    @Args('first', { type: () => Int, nullable: true, description: '1–100, default 25.' }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<ConversationConnection> {
    return this.reader.list(ctx, { filter, sort, first, after });
  }

  @Query(() => ConversationCounts, {
    description: 'Counts per status for the filter (its statuses ignored).',
  })
  conversationCounts(
    @Ctx() ctx: RequestContext,
    @Args('filter', { type: () => ConversationFilter, nullable: true }) filter?: ConversationFilter,
  ): Promise<ConversationCounts> {
    return this.reader.counts(ctx, filter);
  }

  @Query(() => ConversationDetailDto, { description: 'One conversation (AGENT+); NOT_FOUND if not visible.' })
  async conversation(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return Object.assign(new ConversationDetailDto(), await this.reader.get(ctx, id));
  }

  @ResolveField(() => MessageConnection, { description: 'Newest first.' })
  messages(
    @Ctx() ctx: RequestContext,
    @Parent() conversation: ConversationDetailDto,
    @Args('first', { type: () => Int, nullable: true, description: '1–100, default 25.' }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<MessageConnection> {
    return this.reader.messages(ctx, conversation, { first, after });
  }

  @ResolveField(() => [NoteDto], { description: 'Internal notes, oldest first.' })
  notes(@Ctx() ctx: RequestContext, @Parent() conversation: ConversationDetailDto): Promise<NoteDto[]> {
    return this.noteService.list(ctx, conversation.id);
  }

  @ResolveField(() => [ConversationDto], {
    description: "The contact's other conversations with this brand, newest first (at most 20).",
  })
  earlierConversations(
    @Ctx() ctx: RequestContext,
    @Parent() conversation: ConversationDetailDto,
  ): Promise<ConversationDto[]> {
    return this.reader.earlier(ctx, conversation);
  }
}
