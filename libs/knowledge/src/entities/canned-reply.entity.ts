import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A brand's ready-made answer, typed by its shortcut ("/refund"). The text lives in one variant per
 * language (CannedReplyVariant). The generated `search` column is not mapped: only SQL reads it.
 */
@Entity('canned_replies')
export class CannedReply {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('text') title: string;
  /** Unique per brand, case-insensitively (canned_replies_shortcut_key). */
  @Column('text') shortcut: string;
  @Column('text', { array: true, default: () => "'{}'" }) tags: string[];
  @Column('integer', { name: 'usage_count', default: 0 }) usageCount: number;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The body of a canned reply in one language (a canonical BCP-47 tag). */
@Entity('canned_reply_variants')
export class CannedReplyVariant {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid', { name: 'canned_reply_id' }) cannedReplyId: string;
  @PrimaryColumn('text') language: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('text') body: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
