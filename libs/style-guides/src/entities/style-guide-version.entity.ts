import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { StyleRules } from '../engine/style-rules';

/** Immutable (a trigger refuses UPDATE): a reply's style_guide_version_id always means these rules. */
@Entity('style_guide_versions')
export class StyleGuideVersion {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('int') number: number;
  @Column('jsonb') rules: StyleRules;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
