import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

@InputType()
export class RenderCannedReplyInput {
  @Field(() => ID) @IsString() @MaxLength(64) cannedReplyId: string;
  @Field(() => ID) @IsString() @MaxLength(64) conversationId: string;

  @Field(() => String, {
    nullable: true,
    description: "Default: the conversation's detected language; then the brand's first language; then any.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string | null;
}
