import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { CannedReplyRenderService } from './canned-reply-render.service';
import { CannedReplyService, CannedReplyWithVariants } from './canned-reply.service';
import { CannedReplyConnection, CannedReplyDto, RenderedCannedReplyDto } from './dto/canned-reply.dto';
import { CreateCannedReplyInput } from './dto/create-canned-reply.input';
import { RenderCannedReplyInput } from './dto/render-canned-reply.input';
import { UpdateCannedReplyInput } from './dto/update-canned-reply.input';

const dto = (r: CannedReplyWithVariants) => CannedReplyDto.from(r.reply, r.variants);

@Resolver(() => CannedReplyDto)
export class CannedReplyResolver {
  constructor(
    private readonly replies: CannedReplyService,
    private readonly renderer: CannedReplyRenderService,
  ) {}

  @Query(() => CannedReplyConnection, {
    description: "A brand's canned replies, newest first. AGENT and above.",
  })
  async cannedReplies(
    @Ctx() ctx: RequestContext,
    @Args('brandId', { type: () => ID }) brandId: string,
    @Args('search', { type: () => String, nullable: true, description: 'Title, shortcut or tag words.' })
    search: string | null,
    @Args('language', { type: () => String, nullable: true, description: 'Only replies with this language.' })
    language: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'At most 100.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<CannedReplyConnection> {
    const page = await this.replies.list(ctx, brandId, { search, language, first: first ?? 50, after });
    return { nodes: page.nodes.map(dto), pageInfo: page.pageInfo };
  }

  @Mutation(() => CannedReplyDto, {
    description:
      'MANAGER and above. CONFLICT for a shortcut the brand uses; STYLE_GUIDE_VIOLATION for a variant that breaks the style guide.',
  })
  async createCannedReply(
    @Ctx() ctx: RequestContext,
    @Args('input') input: CreateCannedReplyInput,
  ): Promise<CannedReplyDto> {
    return dto(await this.replies.create(ctx, input));
  }

  @Mutation(() => CannedReplyDto, { description: 'MANAGER and above. Omitted fields stay.' })
  async updateCannedReply(
    @Ctx() ctx: RequestContext,
    @Args('input') input: UpdateCannedReplyInput,
  ): Promise<CannedReplyDto> {
    return dto(await this.replies.update(ctx, input));
  }

  @Mutation(() => Boolean, { description: 'MANAGER and above.' })
  deleteCannedReply(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.replies.delete(ctx, id);
  }

  @Mutation(() => RenderedCannedReplyDto, {
    description:
      'AGENT and above. The canned reply filled in for a conversation of its brand; counts as a use. A mutation, ' +
      'not a query, because it counts.',
  })
  renderCannedReply(
    @Ctx() ctx: RequestContext,
    @Args('input') input: RenderCannedReplyInput,
  ): Promise<RenderedCannedReplyDto> {
    return this.renderer.render(ctx, input);
  }
}
