import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { TagDto } from '../conversations/dto/conversation.dto';
import { TagService } from './tag.service';

@Resolver(() => TagDto)
export class TagsResolver {
  constructor(private readonly tagService: TagService) {}

  @Query(() => [TagDto], { description: "A brand's tags, by name (AGENT+)." })
  tags(@Ctx() ctx: RequestContext, @Args('brandId', { type: () => ID }) brandId: string): Promise<TagDto[]> {
    return this.tagService.list(ctx, brandId);
  }
}
