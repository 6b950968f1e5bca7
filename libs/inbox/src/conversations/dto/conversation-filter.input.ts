import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Platform } from '@caredesk/channels';
import {
  ConversationKind,
  ConversationPriority,
  ConversationStatus,
  SentimentLabel,
} from './conversation-enums';

/** Lists in a filter: enough for any dashboard, small enough to keep the statement sane. */
const LIST_MAX = 200;

@InputType('AssigneeFilter', { description: 'Exactly one of: me, unassigned, userId.' })
export class AssigneeFilter {
  @Field({ nullable: true, description: 'Assigned to the caller.' }) @IsOptional() @IsBoolean() me?: boolean;
  @Field({ nullable: true, description: 'Assigned to nobody.' })
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;
  // Any string: an id that is nobody's matches nothing.
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(64) userId?: string;
}

/**
 * Every field narrows the list (AND); within a list field, any value matches (OR); an empty list
 * matches nothing. Ids in brandIds must be brands the caller may see (else NOT_FOUND, like any id);
 * other ids only filter, so an unknown one matches nothing.
 */
@InputType('ConversationFilter')
export class ConversationFilter {
  @Field(() => [ID], { nullable: true, description: 'Default: every brand the caller may see.' })
  @IsOptional()
  @ArrayMaxSize(LIST_MAX)
  @IsString({ each: true })
  brandIds?: string[];
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIST_MAX)
  @IsString({ each: true })
  channelIds?: string[];
  @Field(() => [Platform], { nullable: true })
  @IsOptional()
  @IsEnum(Platform, { each: true })
  platforms?: Platform[];
  @Field(() => [ConversationKind], { nullable: true })
  @IsOptional()
  @IsEnum(ConversationKind, { each: true })
  kinds?: ConversationKind[];
  @Field(() => [ConversationStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ConversationStatus, { each: true })
  statuses?: ConversationStatus[];
  @Field(() => [ConversationPriority], { nullable: true })
  @IsOptional()
  @IsEnum(ConversationPriority, { each: true })
  priorities?: ConversationPriority[];
  @Field(() => AssigneeFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AssigneeFilter)
  assignee?: AssigneeFilter;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIST_MAX)
  @IsString({ each: true })
  teamIds?: string[];
  @Field(() => [String], { nullable: true, description: 'Tag names, case-insensitive; any of them.' })
  @IsOptional()
  @ArrayMaxSize(LIST_MAX)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
  @Field(() => [String], {
    nullable: true,
    description:
      'Language codes as BCP 47 tags or ISO 639-1 codes ("en", "nb", "nb-NO"); Norwegian is one language ("nb", "nn" and "no" all match it). Not a language code: BAD_USER_INPUT.',
  })
  @IsOptional()
  @ArrayMaxSize(LIST_MAX)
  @IsString({ each: true })
  @MaxLength(16, { each: true })
  languages?: string[];
  @Field(() => [SentimentLabel], { nullable: true })
  @IsOptional()
  @IsEnum(SentimentLabel, { each: true })
  sentiments?: SentimentLabel[];
  @Field({
    nullable: true,
    description:
      'Text in any message of the conversation: a case-insensitive substring (pg_trgm), any language; 3 to 200 characters.',
  })
  @IsOptional()
  @IsString()
  search?: string;
  @Field({
    nullable: true,
    description: 'Last activity at or after this time (before `to`, when both are given).',
  })
  @IsOptional()
  @IsDate()
  from?: Date;
  @Field({ nullable: true, description: 'Last activity before this time.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}
