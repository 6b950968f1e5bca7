import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PresenceState {
  VIEWING = 'VIEWING',
  TYPING = 'TYPING',
  IDLE = 'IDLE',
  /** Only as input: removes the caller from the conversation's presence at once. */
  LEFT = 'LEFT',
}
registerEnumType(PresenceState, {
  name: 'PresenceState',
  description:
    'What an agent is doing in a conversation. VIEWING, TYPING and IDLE last PRESENCE_TTL_SECONDS unless ' +
    'repeated (a heartbeat); LEFT removes the entry.',
});

@ObjectType('PresenceEntry')
export class PresenceEntryDto {
  @Field(() => ID) userId: string;
  @Field() name: string;
  @Field(() => PresenceState) state: PresenceState;
  @Field({ description: 'When this state began (a heartbeat in the same state keeps it).' }) since: Date;
  @Field({ description: 'When the entry disappears without another heartbeat.' }) expiresAt: Date;
}

@ObjectType('ConversationPresence')
export class ConversationPresenceDto {
  @Field(() => ID) conversationId: string;
  @Field(() => [PresenceEntryDto], { description: 'Who is there, longest first.' })
  entries: PresenceEntryDto[];
}
