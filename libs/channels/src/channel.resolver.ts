import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { ChannelBacklogLoader } from './channel-backlog.loader';
import { ChannelService } from './channel.service';
import { ChannelBacklogDto } from './dto/channel-backlog.dto';
import { ChannelDto } from './dto/channel.dto';
import { ConnectChannelInput } from './dto/connect-channel.input';
import { ReconnectChannelInput } from './dto/reconnect-channel.input';

@Resolver(() => ChannelDto)
export class ChannelResolver {
  constructor(
    private readonly service: ChannelService,
    private readonly backlog: ChannelBacklogLoader,
  ) {}

  @Query(() => [ChannelDto], { description: "A brand's channels, oldest first." })
  async channels(
    @Ctx() ctx: RequestContext,
    @Args('brandId', { type: () => ID }) brandId: string,
    @Args('includeDisconnected', { type: () => Boolean, nullable: true, defaultValue: false })
    includeDisconnected: boolean | null,
  ): Promise<ChannelDto[]> {
    return (await this.service.list(ctx, brandId, includeDisconnected ?? false)).map(ChannelDto.from);
  }

  @Query(() => ChannelDto)
  async channel(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<ChannelDto> {
    return ChannelDto.from(await this.service.get(ctx, id));
  }

  @Mutation(() => ChannelDto, {
    description:
      'Connects a platform account to a brand (ADMIN). CONFLICT if the account is connected anywhere.',
  })
  async connectChannel(
    @Ctx() ctx: RequestContext,
    @Args('input') input: ConnectChannelInput,
  ): Promise<ChannelDto> {
    return ChannelDto.from(await this.service.connect(ctx, input));
  }

  @Mutation(() => ChannelDto, {
    description: 'Disconnects a channel (ADMIN): secrets wiped, account freed, history kept.',
  })
  async disconnectChannel(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ChannelDto> {
    return ChannelDto.from(await this.service.disconnect(ctx, id));
  }

  @Mutation(() => ChannelDto, {
    description: 'Gives a channel new credentials and makes it ACTIVE again (ADMIN).',
  })
  async reconnectChannel(
    @Ctx() ctx: RequestContext,
    @Args('input') input: ReconnectChannelInput,
  ): Promise<ChannelDto> {
    return ChannelDto.from(await this.service.reconnect(ctx, input));
  }

  @ResolveField(() => ChannelBacklogDto, {
    description:
      'What waits for this channel to be reconnected (all zero unless it NEEDS_RECONNECT or was disconnected while it did). One statement for every channel of a response.',
  })
  waiting(
    @Parent() channel: ChannelDto,
    @Ctx() ctx: RequestContext,
    @Context('req') req: object,
  ): Promise<ChannelBacklogDto> {
    return this.backlog.load(req, ctx, channel.id);
  }
}
