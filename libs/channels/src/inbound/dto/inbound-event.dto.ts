import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { Connection } from '@caredesk/core';
import { Platform } from '../../platform';

/** The inbound events an admin may list: held, not on their way through ingest. */
export enum HeldInboundEventStatus {
  FAILED = 'FAILED',
  WAITING_FOR_RECONNECT = 'WAITING_FOR_RECONNECT',
}
registerEnumType(HeldInboundEventStatus, {
  name: 'HeldInboundEventStatus',
  valuesMap: {
    FAILED: { description: 'Ingest gave up on it after its attempts; retryInboundEvent sends it again.' },
    WAITING_FOR_RECONNECT: {
      description:
        "Held until its channel is reconnected: reading it needs the channel's token, which the platform refused. Reconnecting the channel sends it through ingest.",
    },
  },
});

/** A stored webhook entry, as admins see it when it could not be processed (yet). */
@ObjectType('InboundEvent')
export class InboundEventDto {
  @Field(() => ID) id: string;
  @Field(() => Platform) platform: Platform;
  @Field(() => ID) channelId: string;
  @Field(() => ID) brandId: string;
  @Field({ description: 'PENDING, PROCESSED, FAILED, IGNORED or WAITING_FOR_RECONNECT.' }) status: string;
  @Field() receivedAt: Date;
  @Field(() => Int, { description: 'How many times ingest has tried it.' }) attempts: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  lastError: string | null;
  @Field(() => GraphQLJSON, { description: 'The entry exactly as the platform sent it.' })
  payload: unknown;
}

export const InboundEventConnection = Connection(InboundEventDto, 'InboundEvent');
export type InboundEventConnection = InstanceType<typeof InboundEventConnection>;
