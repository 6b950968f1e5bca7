import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import {
  MAX_HOLIDAYS,
  MAX_LANGUAGES,
  MAX_REOPEN_WINDOW_HOURS,
  MAX_URL_LENGTH,
  MAX_WINDOWS,
} from '../settings/brand-settings';
import { MAX_SLUG } from '../settings/slug';
import { BusinessHoursWindowInput, HolidayInput } from './brand-settings.input';

@InputType()
export class CreateBrandInput {
  @Field() @IsString() @MaxLength(200) name: string;

  @Field(() => String, {
    nullable: true,
    description: 'Unique in the agency; derived from the name when omitted.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SLUG)
  slug?: string | null;

  @Field({ description: 'IANA timezone, e.g. "Europe/Berlin".' }) @IsString() @MaxLength(64) timezone: string;

  @Field(() => [String], { description: 'BCP-47 tags, e.g. ["de-DE", "en"]; at least one.' })
  @IsArray()
  @ArrayMaxSize(MAX_LANGUAGES)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  languages: string[];

  @Field(() => [BusinessHoursWindowInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_WINDOWS)
  @ValidateNested({ each: true })
  @Type(() => BusinessHoursWindowInput)
  businessHours?: BusinessHoursWindowInput[] | null;

  @Field(() => [HolidayInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_HOLIDAYS)
  @ValidateNested({ each: true })
  @Type(() => HolidayInput)
  holidays?: HolidayInput[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Shown on white-labelled reports; defaults to the name.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'https URL of the logo.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  logoUrl?: string | null;

  @Field(() => String, { nullable: true, description: '"#RRGGBB".' })
  @IsOptional()
  @IsString()
  @MaxLength(7)
  primaryColor?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Hours after a DM conversation is resolved in which the customer's next message reopens it instead of starting a new one (0–${MAX_REOPEN_WINDOW_HOURS}); null: the deployment's default (REOPEN_WINDOW_HOURS).`,
  })
  @IsOptional()
  reopenWindowHours?: number | null;
}
