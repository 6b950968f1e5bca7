import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Platform } from '@caredesk/channels';

/** As long as any reply may be (ReplyToConversationInput). */
const MAX_BODY = 10_000;

@InputType({ description: 'Exactly one of conversationId and brandId.' })
export class CheckReplyInput {
  @Field(() => ID, {
    nullable: true,
    description: "The conversation decides brand, platform, kind and the contact's name.",
  })
  @IsOptional()
  @IsUUID()
  conversationId?: string | null;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() brandId?: string | null;

  @Field() @IsString() @MaxLength(MAX_BODY) body: string;

  @Field(() => String, {
    nullable: true,
    description: "BCP-47 tag; defaults to the conversation's detected language. Unknown: every rule applies.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string | null;

  @Field(() => Platform, { nullable: true, description: 'With brandId: which length limit applies.' })
  @IsOptional()
  @IsEnum(Platform)
  platform?: Platform | null;

  @Field(() => String, {
    nullable: true,
    description: 'With brandId: DM, COMMENT, MENTION, REVIEW or EMAIL.',
  })
  @IsOptional()
  @IsString()
  kind?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "With brandId: the customer's name, for the DM name rule.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contactName?: string | null;
}
