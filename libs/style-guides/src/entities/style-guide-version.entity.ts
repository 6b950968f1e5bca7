import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { StyleRules, upgradeRules } from '../engine/style-rules';

/** Immutable (a trigger refuses UPDATE): a reply's style_guide_version_id always means these rules. */
@Entity('style_guide_versions')
export class StyleGuideVersion {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('int') number: number;
  /** Read through upgradeRules: versions saved by older code are read as they were meant. */
  @Column('jsonb', { transformer: { from: (v: StyleRules) => upgradeRules(v), to: (v: StyleRules) => v } })
  rules: StyleRules;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
