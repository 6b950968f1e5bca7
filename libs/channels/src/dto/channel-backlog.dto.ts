import { Field, Int, ObjectType } from '@nestjs/graphql';

/** What waits for a channel to be reconnected: the platform refused its token (NEEDS_RECONNECT). */
@ObjectType('ChannelBacklog')
export class ChannelBacklogDto {
  @Field(() => Int, {
    description: 'Replies and moderations queued on the channel, sent once it is reconnected.',
  })
  replies: number;
  @Field(() => Int, {
    description:
      'Webhook entries that need the channel to be read (WAITING_FOR_RECONNECT; listed by failedInboundEvents), ingested once it is reconnected.',
  })
  inboundEvents: number;
}
