import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Platform } from '../platform';
import { ChannelCredentialsInput } from './channel-credentials.input';

@InputType()
export class ConnectChannelInput {
  @Field(() => ID) @IsUUID() brandId: string;

  @Field(() => Platform) @IsEnum(Platform) platform: Platform;

  @Field({ description: "The platform's id of the account: page id, user id, location name, email address." })
  @IsString()
  @MaxLength(200)
  // Page ids, URNs, `accounts/1/locations/2` and addresses never contain whitespace or control characters.
  @Matches(/^[^\s\p{Cc}]+$/u, { message: 'externalAccountId must be non-empty, without spaces' })
  externalAccountId: string;

  @Field() @IsString() @IsNotEmpty() @MaxLength(200) displayName: string;

  @Field(() => ChannelCredentialsInput)
  @ValidateNested()
  @Type(() => ChannelCredentialsInput)
  credentials: ChannelCredentialsInput;
}
