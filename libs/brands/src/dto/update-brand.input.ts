import { Field, ID, InputType, PartialType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { CreateBrandInput } from './create-brand.input';

/**
 * Omitted fields stay as they are. `null` clears an optional field (display name, logo, colour) or
 * empties a list (business hours, holidays); it is rejected for name, slug, timezone and languages.
 */
@InputType()
export class UpdateBrandInput extends PartialType(CreateBrandInput) {
  // Any string: a malformed id answers NOT_FOUND like any other id the caller cannot see.
  @Field(() => ID) @IsString() @MaxLength(64) id: string;
}
