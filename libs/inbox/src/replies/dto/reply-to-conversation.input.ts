import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Visibility } from '../../dto/message.dto';

/** Longer than any platform accepts for one post (Meta comments ~8,000, X DMs 10,000 characters). */
export const REPLY_MAX_LENGTH = 10_000;

@InputType()
export class ReplyToConversationInput {
  @Field(() => ID) @IsUUID() conversationId: string;

  @Field({ description: `The reply text (1–${REPLY_MAX_LENGTH} characters).` })
  @IsString()
  @MaxLength(REPLY_MAX_LENGTH)
  body: string;

  @Field(() => Visibility, { defaultValue: Visibility.PUBLIC })
  @IsOptional()
  @IsEnum(Visibility)
  visibility: Visibility = Visibility.PUBLIC;
}
