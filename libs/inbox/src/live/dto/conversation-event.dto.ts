import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ConversationEventType {
  MESSAGE_CREATED = 'MESSAGE_CREATED',
  CONVERSATION_CHANGED = 'CONVERSATION_CHANGED',
  MESSAGE_UPDATED = 'MESSAGE_UPDATED',
}
registerEnumType(ConversationEventType, {
  name: 'ConversationEventType',
  description:
    'MESSAGE_CREATED: a message arrived or a reply was queued; CONVERSATION_CHANGED: see `change`; ' +
    'MESSAGE_UPDATED: a message of the conversation changed, see `change`.',
});

/** Ids only: a dashboard reads what it shows through the usual queries, with the usual access checks. */
@ObjectType('ConversationEvent')
export class ConversationEventDto {
  @Field(() => ConversationEventType) type: ConversationEventType;
  @Field(() => ID) conversationId: string;
  @Field(() => ID) brandId: string;
  @Field(() => ID, {
    nullable: true,
    description: 'The new message (MESSAGE_CREATED) or the changed one (MESSAGE_UPDATED).',
  })
  messageId: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'What changed. CONVERSATION_CHANGED: e.g. LAST_MESSAGE, STATUS, ASSIGNEE, PRIORITY, TAGS, CONTACT (contacts ' +
      "merged), MESSAGES (messages were removed or moved in: the platform's echo of a reply merged into the reply, " +
      'or another conversation merged into this one), MERGED (this conversation was merged into another — a reply ' +
      'delivered before the message it answers — and no longer exists; that one gets MESSAGES), WAITING (awaiting ' +
      'a reply again: a reply failed to send). MESSAGE_UPDATED: SEND_STATUS (a reply became SENT or FAILED), ' +
      'MODERATION (hidden, unhidden or deleted on the platform by an agent), EDITED or DELETED (by its author on ' +
      'the platform).',
  })
  change: string | null;
}
