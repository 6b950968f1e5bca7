import { registerEnumType } from '@nestjs/graphql';

export enum ConversationKind {
  DM = 'DM',
  COMMENT = 'COMMENT',
  MENTION = 'MENTION',
  REVIEW = 'REVIEW',
  EMAIL = 'EMAIL',
}
export enum ConversationStatus {
  OPEN = 'OPEN',
  /** Waiting on the customer. */
  PENDING = 'PENDING',
  /** Out of the queue until snoozedUntil (or the customer's next message). */
  SNOOZED = 'SNOOZED',
  RESOLVED = 'RESOLVED',
}
export enum ConversationPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}
export enum SentimentLabel {
  POSITIVE = 'POSITIVE',
  NEUTRAL = 'NEUTRAL',
  NEGATIVE = 'NEGATIVE',
}
export enum NoReplyNeededReason {
  THANKS = 'THANKS',
  SPAM = 'SPAM',
  OTHER = 'OTHER',
}
export enum ConversationSort {
  /** Latest activity first (last message time). */
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  /** Only conversations awaiting a reply, the one waiting longest first. */
  LONGEST_WAITING = 'LONGEST_WAITING',
}

registerEnumType(ConversationKind, { name: 'ConversationKind' });
registerEnumType(ConversationStatus, {
  name: 'ConversationStatus',
  description: 'OPEN; PENDING (waiting on the customer); SNOOZED (until snoozedUntil); RESOLVED.',
});
registerEnumType(ConversationPriority, { name: 'ConversationPriority' });
registerEnumType(SentimentLabel, { name: 'SentimentLabel' });
registerEnumType(NoReplyNeededReason, {
  name: 'NoReplyNeededReason',
  description: 'Why a conversation needs no answer (metrics exclude it): a thank-you, spam, or other.',
});
registerEnumType(ConversationSort, { name: 'ConversationSort' });
