import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OutboundRequest } from '../connectors/connector';

export type OutboundAction = OutboundRequest['action'];
export type OutboundStatus = 'QUEUED' | 'SENDING' | 'SENT' | 'FAILED' | 'WAITING_FOR_RECONNECT';

/** What the send worker reads: everything the connector needs except the channel's credentials. */
export interface OutboundPayload {
  body: string;
  /** OutboundRequest.target: the answered (or moderated) message's reply context and externalId. */
  target: Record<string, string>;
}

/**
 * The send outbox (DESIGN.md, "Flow of a message"): one row per platform call an agent asked for,
 * written in the same transaction as the message it delivers, so a reply is never stored without
 * being sent nor sent without being stored.
 */
@Entity('outbound_messages')
export class OutboundMessage {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('uuid', { name: 'channel_id' }) channelId: string;
  /** The reply's own message, or the moderated message. */
  @Column('uuid', { name: 'message_id', nullable: true }) messageId: string | null;
  @Column('text') action: OutboundAction;
  @Column('jsonb') payload: OutboundPayload;
  @Column('text', { default: 'QUEUED' }) status: OutboundStatus;
  /** Platform calls started (including ones whose answer was lost). */
  @Column('int', { default: 0 }) attempts: number;
  /** Not before: the sweeper leaves a row alone while a delayed retry (Retry-After) is pending. */
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { name: 'failure_code', nullable: true }) failureCode: string | null;
  @Column('text', { name: 'failure_message', nullable: true }) failureMessage: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
}
