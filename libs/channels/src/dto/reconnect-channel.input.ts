import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';
import { ChannelCredentialsInput } from './channel-credentials.input';

@InputType()
export class ReconnectChannelInput {
  @Field(() => ID) @IsUUID() id: string;

  @Field(() => ChannelCredentialsInput)
  @ValidateNested()
  @Type(() => ChannelCredentialsInput)
  credentials: ChannelCredentialsInput;
}
