import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { ApiKeyService } from './api-key.service';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyInput } from './dto/create-api-key.input';

@Resolver()
export class ApiKeyResolver {
  constructor(private readonly keys: ApiKeyService) {}

  @Mutation(() => CreatedApiKeyDto, { description: 'ADMIN+: a key for `Authorization: Bearer`; shown once.' })
  createApiKey(
    @Ctx() ctx: RequestContext,
    @Args('input') input: CreateApiKeyInput,
  ): Promise<CreatedApiKeyDto> {
    return this.keys.create(ctx, input);
  }

  @Query(() => [ApiKeyDto], { description: 'ADMIN+: keys within your brand scope, revoked ones included.' })
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKeyDto[]> {
    return this.keys.list(ctx);
  }

  @Mutation(() => ApiKeyDto, { description: 'ADMIN+: the key stops working at once.' })
  revokeApiKey(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<ApiKeyDto> {
    return this.keys.revoke(ctx, id);
  }
}
