import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { TagsField } from '../../shared/tags-field';

@InputType()
export class CreateKnowledgeEntryInput {
  // Any string: an id the caller cannot see answers NOT_FOUND, like a missing one.
  @Field(() => ID) @IsString() @MaxLength(64) brandId: string;
  @Field({ description: '1–2,000 characters.' }) @IsString() @MaxLength(2000) question: string;
  @Field({ description: '1–10,000 characters.' }) @IsString() @MaxLength(10_000) answer: string;

  @Field(() => String, { nullable: true, description: "BCP-47 tag; default: the brand's first language." })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string | null;

  @TagsField('At most 20, each up to 50 characters.')
  tags?: string[] | null;
}

/** Omitted fields stay as they are. */
@InputType()
export class UpdateKnowledgeEntryInput {
  @Field(() => ID) @IsString() @MaxLength(64) id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(2000) question?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10_000) answer?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(35) language?: string;

  @TagsField()
  tags?: string[];
}

@InputType()
export class SaveReplyAsKnowledgeEntryInput {
  @Field(() => ID, { description: "An agent's reply (an outbound message)." })
  @IsString()
  @MaxLength(64)
  messageId: string;

  @Field(() => String, {
    nullable: true,
    description: "Default: the customer's message the reply answered (the latest inbound one before it).",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  question?: string | null;

  @TagsField()
  tags?: string[] | null;
}
