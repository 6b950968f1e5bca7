import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SentimentLabel } from '../conversations/dto/conversation-enums';
import type { Attachment } from '@caredesk/channels';
import { Message } from '../entities/message.entity';

export enum MessageDirection {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}
export enum Visibility {
  /** Where the customer wrote: a comment reply, a tweet reply, a review reply, a DM in a DM. */
  PUBLIC = 'PUBLIC',
  /** A direct message; on a public comment, the platform's private reply to its author. */
  PRIVATE = 'PRIVATE',
}
export enum MessageStatus {
  RECEIVED = 'RECEIVED',
  QUEUED = 'QUEUED',
  SENDING = 'SENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}
registerEnumType(MessageDirection, { name: 'MessageDirection' });
registerEnumType(Visibility, { name: 'Visibility' });
registerEnumType(MessageStatus, {
  name: 'MessageStatus',
  description: 'RECEIVED for inbound messages; a reply goes QUEUED → SENDING → SENT or FAILED.',
});

@ObjectType('MessageAttachment')
export class MessageAttachmentDto {
  @Field({ description: 'IMAGE, VIDEO, AUDIO, FILE, STICKER or LINK.' }) type: string;
  /** The platform's URL; the GraphQL field `url` (MessageAttachmentResolver) adds kept attachments' links. */
  url: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => Int, { nullable: true, description: 'Bytes.' }) size: number | null;
  @Field(() => String, { nullable: true }) mimeType: string | null;
  /** Not in the schema: the hash of bytes Caredesk keeps, and the brand they belong to. */
  contentId?: string | null;
  brandId?: string;

  /** `brandId`: the message's brand, under which a kept attachment's bytes are stored. */
  static of(a: Attachment, brandId: string): MessageAttachmentDto {
    return Object.assign(new MessageAttachmentDto(), a, { brandId });
  }
}

/** One message of a conversation. The inbox issue extends this type (author, contact, …). */
@ObjectType('Message')
export class MessageDto {
  @Field(() => ID) id: string;
  @Field(() => ID) conversationId: string;
  @Field(() => MessageDirection) direction: MessageDirection;
  @Field(() => Visibility) visibility: Visibility;
  @Field() body: string;
  @Field(() => MessageStatus) status: MessageStatus;
  @Field(() => String, { nullable: true, description: "The platform's id; null until a reply is SENT." })
  externalId: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Why a reply FAILED: PLATFORM_REJECTED, UNSUPPORTED, RETRIES_EXHAUSTED, CHANNEL_UNAVAILABLE, ' +
      "MESSAGING_WINDOW_CLOSED (a Meta DM more than 7 days after the customer's last message).",
  })
  failureCode: string | null;
  @Field(() => String, { nullable: true }) failureMessage: string | null;
  @Field(() => [MessageAttachmentDto]) attachments: MessageAttachmentDto[];
  @Field(() => Date, { nullable: true, description: 'When a moderator hid it on the platform.' })
  hiddenAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was deleted (by its author or a moderator).' })
  deletedAt: Date | null;
  @Field(() => Date, { nullable: true, description: "When its author last edited it (the platform's time)." })
  editedAt: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: "A review's star rating, 1 to 5 (Google); null otherwise.",
  })
  rating: number | null;
  @Field(() => ID, {
    nullable: true,
    description: "A reply's style guide version it was checked against; null when the brand had none.",
  })
  styleGuideVersionId: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "A customer message's detected language (BCP-47 primary subtag); null when unknown or for replies.",
  })
  language: string | null;
  @Field(() => Float, {
    nullable: true,
    description: "A customer message's sentiment, -1 (negative) … 1 (positive).",
  })
  sentimentScore: number | null;
  @Field(() => SentimentLabel, { nullable: true }) sentiment: SentimentLabel | null;
  @Field({ description: 'When Caredesk stored it.' }) createdAt: Date;
  @Field({
    description:
      "When it was written: the platform's time (deliveries arrive out of order), or for a reply not yet sent, when it was queued. Messages are listed by it.",
  })
  writtenAt: Date;

  static from(m: Message): MessageDto {
    return Object.assign(new MessageDto(), {
      id: m.id,
      conversationId: m.conversationId,
      direction: m.direction as MessageDirection,
      visibility: m.visibility as Visibility,
      body: m.body,
      status: m.status as MessageStatus,
      externalId: m.externalId,
      failureCode: m.failureCode,
      failureMessage: m.failureMessage,
      attachments: (m.attachments ?? []).map((a) => MessageAttachmentDto.of(a, m.brandId)),
      hiddenAt: m.hiddenAt,
      deletedAt: m.deletedAt,
      editedAt: m.editedAt ?? null,
      rating: m.rating ?? null,
      styleGuideVersionId: m.styleGuideVersionId ?? null,
      language: m.language ?? null,
      sentimentScore: m.sentimentScore ?? null,
      sentiment: (m.sentimentLabel as SentimentLabel | null) ?? null,
      createdAt: m.createdAt,
      writtenAt: m.writtenAt ?? m.platformCreatedAt ?? m.createdAt,
    });
  }
}
