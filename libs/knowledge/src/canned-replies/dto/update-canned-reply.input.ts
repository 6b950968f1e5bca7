import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CannedReplyVariantInput } from './canned-reply-variant.input';

/** Omitted fields stay as they are; `variants`, when given, replaces every variant. */
@InputType()
export class UpdateCannedReplyInput {
  @Field(() => ID) @IsString() @MaxLength(64) id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(41) shortcut?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @Field(() => [CannedReplyVariantInput], { nullable: true, description: 'Replaces all variants.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CannedReplyVariantInput)
  variants?: CannedReplyVariantInput[];
}
