import { Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ConversationPriority, ConversationStatus, NoReplyNeededReason } from './conversation-enums';

/** The most conversations one bulk call may change (all in one transaction). */
export const BULK_MAX = 500;

@InputType()
export class AssignConversationInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(() => ID, { nullable: true, description: 'null unassigns.' })
  @IsOptional()
  @IsUUID()
  userId?: string | null;
}

@InputType()
export class SetConversationTeamInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(() => ID, { nullable: true, description: 'null takes the conversation off any team.' })
  @IsOptional()
  @IsUUID()
  teamId?: string | null;
}

@InputType()
export class SetConversationStatusInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(() => ConversationStatus) @IsEnum(ConversationStatus) status: ConversationStatus;
  @Field({ nullable: true, description: 'Required for SNOOZED (a future time); not allowed otherwise.' })
  @IsOptional()
  @IsDate()
  snoozedUntil?: Date;
}

@InputType()
export class SetConversationPriorityInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(() => ConversationPriority) @IsEnum(ConversationPriority) priority: ConversationPriority;
}

@InputType()
export class ConversationTagsInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(() => [String], { description: 'Tag names; added ones are created for the brand on first use.' })
  @IsString({ each: true })
  tags: string[];
}

@InputType()
export class MarkNoReplyNeededInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field(() => NoReplyNeededReason) @IsEnum(NoReplyNeededReason) reason: NoReplyNeededReason;
}

@InputType()
export class BulkAssignInput {
  @Field(() => [ID], { description: `1 to ${BULK_MAX} conversations.` })
  @IsUUID('all', { each: true })
  conversationIds: string[];
  @Field(() => ID, { nullable: true, description: 'null unassigns.' })
  @IsOptional()
  @IsUUID()
  userId?: string | null;
}

@InputType()
export class BulkResolveInput {
  @Field(() => [ID], { description: `1 to ${BULK_MAX} conversations.` })
  @IsUUID('all', { each: true })
  conversationIds: string[];
}

@InputType()
export class BulkTagInput {
  @Field(() => [ID], { description: `1 to ${BULK_MAX} conversations.` })
  @IsUUID('all', { each: true })
  conversationIds: string[];
  @Field(() => [String]) @IsString({ each: true }) tags: string[];
}

@InputType()
export class AddNoteInput {
  @Field(() => ID) @IsUUID() conversationId: string;
  @Field({
    description:
      'Up to 10,000 characters. "@name" mentions the member whose email starts with "name@" (or "@full@email"); ' +
      'mentioned members who can see the brand are mailed.',
  })
  @IsString()
  @MaxLength(10000)
  body: string;
}

@InputType()
export class CreateTeamInput {
  @Field() @IsString() @MaxLength(100) name: string;
}
