import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Channel } from '../channel.entity';
import { ChannelStatus, Platform } from '../platform';

/** A channel as clients see it. Deliberately has no credentials field: secrets never leave the server. */
@ObjectType('Channel')
export class ChannelDto {
  @Field(() => ID) id: string;
  @Field(() => ID) brandId: string;
  @Field(() => Platform) platform: Platform;
  @Field() externalAccountId: string;
  @Field() displayName: string;
  @Field(() => ChannelStatus) status: ChannelStatus;
  @Field({ description: 'Whether credentials are stored (false once disconnected: they are wiped).' })
  hasCredentials: boolean;
  @Field({ description: 'When credentials were last given (connect or reconnect).' }) connectedAt: Date;
  @Field(() => Date, { nullable: true }) disconnectedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  static from(c: Channel): ChannelDto {
    return Object.assign(new ChannelDto(), {
      id: c.id,
      brandId: c.brandId,
      platform: c.platform,
      externalAccountId: c.externalAccountId,
      displayName: c.displayName,
      status: c.status,
      hasCredentials: c.credentialsSealed !== '',
      connectedAt: c.connectedAt,
      disconnectedAt: c.disconnectedAt,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    });
  }
}
