import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CannedReplyVariantInput } from './canned-reply-variant.input';
import { TagsField } from '../../shared/tags-field';

/** Omitted fields stay as they are; `variants`, when given, replaces every variant. */
@InputType()
export class UpdateCannedReplyInput {
  @Field(() => ID) @IsString() @MaxLength(64) id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(41) shortcut?: string;

  @TagsField()
  tags?: string[];

  @Field(() => [CannedReplyVariantInput], { nullable: true, description: 'Replaces all variants.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CannedReplyVariantInput)
  variants?: CannedReplyVariantInput[];
}
