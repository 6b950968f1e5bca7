import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** OAuth tokens run to a few KB at most (Google's are ~2 KB); 8 KB leaves room without inviting abuse. */
const MAX_SECRET = 8192;

@InputType({ description: 'A platform-specific credential field, e.g. `smtpPassword` or `pageId`.' })
export class KeyValueInput {
  @Field()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]*$/, {
    message: 'key must start with a letter and use letters, digits, _ . -',
  })
  key: string;

  @Field() @IsString() @IsNotEmpty() @MaxLength(MAX_SECRET) value: string;
}

@InputType({
  description:
    'Secrets for a channel. All fields are optional but at least one secret must be given. They are ' +
    'encrypted at rest and never returned by any query.',
})
export class ChannelCredentialsInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SECRET)
  accessToken?: string;

  @Field({ nullable: true, description: 'OAuth 1.0a token secret (X).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SECRET)
  accessTokenSecret?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SECRET)
  refreshToken?: string;

  @Field({ nullable: true, description: 'When the access token expires, if the platform says.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date;

  @Field(() => [KeyValueInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => KeyValueInput)
  extra?: KeyValueInput[];
}
