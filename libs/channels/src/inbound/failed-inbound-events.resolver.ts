import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { HeldInboundEventStatus, InboundEventConnection, InboundEventDto } from './dto/inbound-event.dto';
import { FailedInboundEventsService } from './failed-inbound-events.service';

@Resolver(() => InboundEventDto)
export class FailedInboundEventsResolver {
  constructor(private readonly service: FailedInboundEventsService) {}

  @Query(() => InboundEventConnection, {
    description:
      'Webhook entries ingest could not process, newest first (ADMIN): FAILED ones by default, or those WAITING_FOR_RECONNECT of their channel. Optionally for one brand or one channel.',
  })
  async failedInboundEvents(
    @Ctx() ctx: RequestContext,
    @Args('brandId', { type: () => ID, nullable: true }) brandId: string | null,
    @Args('channelId', { type: () => ID, nullable: true }) channelId: string | null,
    @Args('status', {
      type: () => HeldInboundEventStatus,
      nullable: true,
      defaultValue: HeldInboundEventStatus.FAILED,
    })
    status: HeldInboundEventStatus | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'At most 200.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<InboundEventConnection> {
    return this.service.list(
      ctx,
      {
        brandId: brandId ?? null,
        channelId: channelId ?? null,
        status: status ?? HeldInboundEventStatus.FAILED,
      },
      first ?? 50,
      after,
    );
  }

  @Mutation(() => InboundEventDto, {
    description: 'Sends a failed webhook entry through ingest again (ADMIN). CONFLICT unless it failed.',
  })
  async retryInboundEvent(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<InboundEventDto> {
    return this.service.retry(ctx, id);
  }

  @Mutation(() => InboundEventDto, {
    description:
      'Gives up on a FAILED or WAITING_FOR_RECONNECT webhook entry (ADMIN): IGNORED, kept for the record, no longer listed. CONFLICT when PENDING or PROCESSED.',
  })
  async dismissInboundEvent(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<InboundEventDto> {
    return this.service.dismiss(ctx, id);
  }
}
