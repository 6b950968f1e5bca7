import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { InboundEventConnection, InboundEventDto } from './dto/inbound-event.dto';
import { FailedInboundEventsService } from './failed-inbound-events.service';

@Resolver(() => InboundEventDto)
export class FailedInboundEventsResolver {
  constructor(private readonly service: FailedInboundEventsService) {}

  @Query(() => InboundEventConnection, {
    description: 'Webhook entries ingest could not process, newest first (ADMIN). Optionally for one brand.',
  })
  async failedInboundEvents(
    @Ctx() ctx: RequestContext,
    @Args('brandId', { type: () => ID, nullable: true }) brandId: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'At most 200.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<InboundEventConnection> {
    return this.service.list(ctx, brandId ?? null, first ?? 50, after);
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
}
