import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A question and its answer in a brand's knowledge bank. `search` (generated) is read by SQL only. */
@Entity('knowledge_entries')
export class KnowledgeEntry {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('text') question: string;
  @Column('text') answer: string;
  /** Canonical BCP-47 tag. */
  @Column('text') language: string;
  @Column('text', { array: true, default: () => "'{}'" }) tags: string[];
  /** The agent reply this entry was saved from (saveReplyAsKnowledgeEntry); one entry per reply. */
  @Column('uuid', { name: 'source_message_id', nullable: true }) sourceMessageId: string | null;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
