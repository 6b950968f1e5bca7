import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { KnowledgeEntryConnection, KnowledgeEntryDto } from './dto/knowledge-entry.dto';
import {
  CreateKnowledgeEntryInput,
  SaveReplyAsKnowledgeEntryInput,
  UpdateKnowledgeEntryInput,
} from './dto/knowledge-entry.inputs';
import { KnowledgeEntryService } from './knowledge-entry.service';

@Resolver(() => KnowledgeEntryDto)
export class KnowledgeEntryResolver {
  constructor(private readonly entries: KnowledgeEntryService) {}

  @Query(() => KnowledgeEntryConnection, {
    description: "A brand's knowledge bank, newest first. AGENT and above.",
  })
  async knowledgeEntries(
    @Ctx() ctx: RequestContext,
    @Args('brandId', { type: () => ID }) brandId: string,
    @Args('search', { type: () => String, nullable: true }) search: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'At most 100.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<KnowledgeEntryConnection> {
    const page = await this.entries.list(ctx, brandId, { search, first: first ?? 50, after });
    return { nodes: page.nodes.map(KnowledgeEntryDto.from), pageInfo: page.pageInfo };
  }

  @Mutation(() => KnowledgeEntryDto, { description: 'AGENT and above.' })
  async createKnowledgeEntry(
    @Ctx() ctx: RequestContext,
    @Args('input') input: CreateKnowledgeEntryInput,
  ): Promise<KnowledgeEntryDto> {
    return KnowledgeEntryDto.from(await this.entries.create(ctx, input));
  }

  @Mutation(() => KnowledgeEntryDto, { description: 'MANAGER and above. Omitted fields stay.' })
  async updateKnowledgeEntry(
    @Ctx() ctx: RequestContext,
    @Args('input') input: UpdateKnowledgeEntryInput,
  ): Promise<KnowledgeEntryDto> {
    return KnowledgeEntryDto.from(await this.entries.update(ctx, input));
  }

  @Mutation(() => Boolean, { description: 'MANAGER and above.' })
  deleteKnowledgeEntry(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.entries.delete(ctx, id);
  }

  @Mutation(() => KnowledgeEntryDto, {
    description:
      "AGENT and above. An agent's reply as the answer of a new entry; CONFLICT when already saved.",
  })
  async saveReplyAsKnowledgeEntry(
    @Ctx() ctx: RequestContext,
    @Args('input') input: SaveReplyAsKnowledgeEntryInput,
  ): Promise<KnowledgeEntryDto> {
    return KnowledgeEntryDto.from(await this.entries.saveReply(ctx, input));
  }
}
