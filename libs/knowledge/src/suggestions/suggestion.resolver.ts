import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { SuggestionDto } from './dto/suggestion.dto';
import { SuggestionService } from './suggestion.service';

@Resolver(() => SuggestionDto)
export class SuggestionResolver {
  constructor(private readonly service: SuggestionService) {}

  @Query(() => [SuggestionDto], {
    description:
      "AGENT and above. Knowledge entries and canned replies most relevant to the conversation's latest customer " +
      'message, best first; empty when there is nothing to match.',
  })
  suggestions(
    @Ctx() ctx: RequestContext,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 5, description: 'At most 20.' })
    first: number | null,
  ): Promise<SuggestionDto[]> {
    return this.service.suggest(ctx, conversationId, first ?? 5);
  }
}
