import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Visibility } from '../../dto/message.dto';

/** Longer than any platform accepts for one post (Meta comments ~8,000, X DMs 10,000 characters). */
export const REPLY_MAX_LENGTH = 10_000;

@InputType({ description: "A MANAGER's (or above) decision to send a reply despite BLOCK violations." })
export class StyleGuideOverrideInput {
  @Field({ description: 'Why (1–1000 characters); stored in the audit log with the violations.' })
  @IsString()
  @MaxLength(1000)
  reason: string;
}

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

  @Field(() => String, {
    nullable: true,
    description:
      "BCP-47 tag of the reply's language, for language-specific style rules; defaults to the conversation's detected language.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string | null;

  @Field(() => StyleGuideOverrideInput, {
    nullable: true,
    description: 'Send despite BLOCK style guide violations (MANAGER+; FORBIDDEN for agents). Audited.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StyleGuideOverrideInput)
  styleGuideOverride?: StyleGuideOverrideInput | null;
}
