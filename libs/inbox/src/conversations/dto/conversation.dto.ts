import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { Platform } from '@caredesk/channels';
import { MessageDto } from '../../dto/message.dto';
import {
  ConversationKind,
  ConversationPriority,
  ConversationStatus,
  NoReplyNeededReason,
  SentimentLabel,
} from './conversation-enums';

@ObjectType('ConversationBrand', { description: 'The brand a conversation belongs to.' })
export class ConversationBrandDto {
  @Field(() => ID) id: string;
  @Field() name: string;
}

@ObjectType('ConversationChannel')
export class ConversationChannelDto {
  @Field(() => ID) id: string;
  @Field(() => Platform) platform: Platform;
  @Field() displayName: string;
}

@ObjectType('InboxUser', { description: 'A member as the inbox shows them (assignee, note author).' })
export class InboxUserDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() email: string;
}

@ObjectType('Team')
export class TeamDto {
  @Field(() => ID) id: string;
  @Field() name: string;
}

@ObjectType('Tag', {
  description: 'A label on conversations, per brand; names are unique case-insensitively.',
})
export class TagDto {
  @Field(() => ID) id: string;
  @Field(() => ID) brandId: string;
  @Field() name: string;
}

@ObjectType('ContactIdentity', { description: 'Who the contact is on one platform.' })
export class ContactIdentityDto {
  @Field(() => ID) id: string;
  @Field(() => Platform) platform: Platform;
  @Field() externalUserId: string;
  @Field(() => String, { nullable: true }) username: string | null;
  @Field(() => String, { nullable: true }) displayName: string | null;
}

@ObjectType('Contact')
export class ContactDto {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) displayName: string | null;
  @Field(() => String, { nullable: true }) avatarUrl: string | null;
  @Field(() => [ContactIdentityDto]) identities: ContactIdentityDto[];
}

@ObjectType('NoReplyNeeded')
export class NoReplyNeededDto {
  @Field(() => NoReplyNeededReason) reason: NoReplyNeededReason;
  @Field() at: Date;
}

@ObjectType('Conversation', { description: 'A thread with one contact on one channel.' })
export class ConversationDto {
  @Field(() => ID) id: string;
  @Field(() => ConversationBrandDto) brand: ConversationBrandDto;
  @Field(() => ConversationChannelDto) channel: ConversationChannelDto;
  @Field(() => Platform) platform: Platform;
  @Field(() => ConversationKind) kind: ConversationKind;
  @Field(() => String, { nullable: true, description: 'Email subject or post title, when there is one.' })
  subject: string | null;
  @Field(() => ConversationStatus) status: ConversationStatus;
  @Field(() => ConversationPriority) priority: ConversationPriority;
  @Field(() => InboxUserDto, { nullable: true }) assignee: InboxUserDto | null;
  @Field(() => TeamDto, { nullable: true }) team: TeamDto | null;
  @Field(() => [TagDto]) tags: TagDto[];
  @Field(() => ContactDto, {
    nullable: true,
    description: 'The customer; null while only the brand has written (a thread it started).',
  })
  contact: ContactDto | null;
  @Field(() => MessageDto, { nullable: true }) lastMessage: MessageDto | null;
  @Field(() => String, { nullable: true, description: 'Language of the latest inbound message (BCP-47).' })
  language: string | null;
  @Field(() => Float, { nullable: true, description: '-1 (negative) … 1 (positive).' })
  sentimentScore: number | null;
  @Field(() => SentimentLabel, { nullable: true }) sentiment: SentimentLabel | null;
  @Field(() => Date, {
    nullable: true,
    description:
      'When the first customer message not yet answered arrived; null when nothing awaits a reply.',
  })
  awaitingReplySince: Date | null;
  @Field(() => Date, { nullable: true }) snoozedUntil: Date | null;
  @Field(() => NoReplyNeededDto, { nullable: true }) noReplyNeeded: NoReplyNeededDto | null;
  @Field() lastMessageAt: Date;
  @Field(() => Date, { nullable: true }) resolvedAt: Date | null;
  @Field() createdAt: Date;
  /** Internal: not exposed. */
  contactId: string | null;
  brandId: string;
}
