import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MessageKind } from '@caredesk/channels';
import type { SentimentLabel } from '@caredesk/analysis';

export type ConversationStatus = 'OPEN' | 'PENDING' | 'SNOOZED' | 'RESOLVED';
export type Priority = 'LOW' | 'NORMAL' | 'HIGH' | 'URGENT';

/** A thread with one contact on one channel: a DM thread, a comment thread on a post, a review, a mention, an email thread. */
@Entity('conversations')
export class Conversation {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  /** Null until a customer writes in a conversation the brand started (the brand is no contact). */
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('text') kind: MessageKind;
  /** See NormalizedMessage.threadKey; at most one unresolved conversation per key per channel. */
  @Column('text', { name: 'thread_key' }) threadKey: string;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text', { default: 'OPEN' }) status: ConversationStatus;
  @Column('text', { default: 'NORMAL' }) priority: Priority;
  @Column('uuid', { name: 'assignee_user_id', nullable: true }) assigneeUserId: string | null;
  /** A public comment answered privately: the DM conversation, and back. */
  @Column('uuid', { name: 'linked_conversation_id', nullable: true }) linkedConversationId: string | null;
  @Column('timestamptz', { name: 'last_message_at' }) lastMessageAt: Date;
  @Column('timestamptz', { name: 'last_inbound_at', nullable: true }) lastInboundAt: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @Column('timestamptz', { name: 'snoozed_until', nullable: true }) snoozedUntil: Date | null;
  /** Detected language of the (latest inbound) message, BCP-47 primary subtag; null when unknown. */
  @Column('text', { nullable: true }) language: string | null;
  /** -1 … 1, see libs/analysis. */
  @Column('real', { name: 'sentiment_score', nullable: true }) sentimentScore: number | null;
  @Column('text', { name: 'sentiment_label', nullable: true }) sentimentLabel: SentimentLabel | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
