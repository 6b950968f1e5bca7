import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { StyleGuideDto, StyleGuideVersionConnection, StyleGuideVersionDto } from './dto/style-guide.dto';
import { UpdateStyleGuideInput } from './dto/update-style-guide.input';
import { StyleGuideVersion } from './entities/style-guide-version.entity';
import { StyleGuideService } from './style-guide.service';

@Resolver(() => StyleGuideDto)
export class StyleGuideResolver {
  constructor(private readonly service: StyleGuideService) {}

  @Query(() => StyleGuideDto, {
    description: "The brand's current style guide (version 0 with default rules before the first save).",
  })
  styleGuide(@Ctx() ctx: RequestContext, @Args('brandId', { type: () => ID }) brandId: string) {
    return this.service.current(ctx, brandId);
  }

  @Query(() => StyleGuideVersionConnection, { description: 'Every saved version, newest first.' })
  async styleGuideVersions(
    @Ctx() ctx: RequestContext,
    @Args('brandId', { type: () => ID }) brandId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ) {
    const page = await this.service.versions(ctx, brandId, first, after);
    return { nodes: page.nodes.map(toDto), pageInfo: page.pageInfo };
  }

  @Mutation(() => StyleGuideVersionDto, {
    description:
      'MANAGER+. Saves the complete rules as the next version (saving unchanged rules returns the current one). ' +
      'CONFLICT when expectedVersion is not the current version.',
  })
  async updateStyleGuide(@Ctx() ctx: RequestContext, @Args('input') input: UpdateStyleGuideInput) {
    return toDto(await this.service.update(ctx, input));
  }
}

function toDto(v: StyleGuideVersion): StyleGuideVersionDto {
  return {
    id: v.id,
    brandId: v.brandId,
    version: v.number,
    rules: v.rules,
    createdByUserId: v.createdByUserId,
    createdAt: v.createdAt,
  };
}
