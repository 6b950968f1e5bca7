import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CannedReplyVariantInput } from './canned-reply-variant.input';
import { TagsField } from '../../shared/tags-field';

@InputType()
export class CreateCannedReplyInput {
  // Any string: an id the caller cannot see answers NOT_FOUND, like a missing one.
  @Field(() => ID) @IsString() @MaxLength(64) brandId: string;
  @Field({ description: '1–200 characters.' }) @IsString() @MaxLength(200) title: string;

  @Field({
    description:
      'What agents type after "/": letters, digits, - and _, up to 40; unique per brand ignoring case.',
  })
  @IsString()
  @MaxLength(41)
  shortcut: string;

  @TagsField('At most 20, each up to 50 characters.')
  tags?: string[] | null;

  @Field(() => [CannedReplyVariantInput], { description: 'One to 20 languages.' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CannedReplyVariantInput)
  variants: CannedReplyVariantInput[];
}
