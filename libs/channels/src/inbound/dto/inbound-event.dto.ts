import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { Connection } from '@caredesk/core';
import { Platform } from '../../platform';

/** A stored webhook entry, as admins see it when it could not be processed. */
@ObjectType('InboundEvent')
export class InboundEventDto {
  @Field(() => ID) id: string;
  @Field(() => Platform) platform: Platform;
  @Field(() => ID) channelId: string;
  @Field(() => ID) brandId: string;
  @Field({ description: 'PENDING, PROCESSED, FAILED or IGNORED.' }) status: string;
  @Field() receivedAt: Date;
  @Field(() => Int, { description: 'How many times ingest has tried it.' }) attempts: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  lastError: string | null;
  @Field(() => GraphQLJSON, { description: 'The entry exactly as the platform sent it.' })
  payload: unknown;
}

export const InboundEventConnection = Connection(InboundEventDto, 'InboundEvent');
export type InboundEventConnection = InstanceType<typeof InboundEventConnection>;
