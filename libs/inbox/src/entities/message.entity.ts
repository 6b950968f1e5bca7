import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SentimentLabel } from '@caredesk/analysis';
import type { Attachment } from '@caredesk/channels';

export type MessageStatus = 'RECEIVED' | 'QUEUED' | 'SENDING' | 'SENT' | 'FAILED';

@Entity('messages')
export class Message {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('text') direction: 'INBOUND' | 'OUTBOUND';
  @Column('text', { default: 'PUBLIC' }) visibility: 'PUBLIC' | 'PRIVATE';
  /** The platform's id; unique per channel (idempotency). Null for a reply not yet sent. */
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { name: 'parent_external_id', nullable: true }) parentExternalId: string | null;
  @Column('uuid', { name: 'author_identity_id', nullable: true }) authorIdentityId: string | null;
  /** The agent who wrote an outbound reply in Caredesk. */
  @Column('uuid', { name: 'author_user_id', nullable: true }) authorUserId: string | null;
  @Column('text', { default: '' }) body: string;
  @Column('jsonb', { default: () => "'[]'" }) attachments: Attachment[];
  @Column('smallint', { nullable: true }) rating: number | null;
  /** NormalizedMessage.replyContext: what the connector needs to answer or moderate this message. */
  @Column('jsonb', { name: 'reply_context', default: () => "'{}'" }) replyContext: Record<string, string>;
  @Column('text', { default: 'RECEIVED' }) status: MessageStatus;
  /** Detected language of the (latest inbound) message, BCP-47 primary subtag; null when unknown. */
  @Column('text', { nullable: true }) language: string | null;
  /** -1 … 1, see libs/analysis. */
  @Column('real', { name: 'sentiment_score', nullable: true }) sentimentScore: number | null;
  @Column('text', { name: 'sentiment_label', nullable: true }) sentimentLabel: SentimentLabel | null;
  /** The style guide version the reply was checked against (libs/style-guides); null if none. */
  @Column('uuid', { name: 'style_guide_version_id', nullable: true }) styleGuideVersionId: string | null;
  @Column('text', { name: 'failure_code', nullable: true }) failureCode: string | null;
  @Column('text', { name: 'failure_message', nullable: true }) failureMessage: string | null;
  @Column('timestamptz', { name: 'hidden_at', nullable: true }) hiddenAt: Date | null;
  @Column('timestamptz', { name: 'edited_at', nullable: true }) editedAt: Date | null;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt: Date | null;
  @Column('timestamptz', { name: 'platform_created_at', nullable: true }) platformCreatedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** When it was written: the platform's time, else (a reply not yet sent) created_at. Lists sort by it. */
  @Column({
    type: 'timestamptz',
    name: 'written_at',
    generatedType: 'STORED',
    asExpression: 'coalesce(platform_created_at, created_at)',
    insert: false,
    update: false,
  })
  writtenAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
