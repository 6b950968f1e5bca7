import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One per brand that has saved a style guide: a pointer to its current (immutable) version. */
@Entity('style_guides')
export class StyleGuide {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid', { name: 'brand_id' }) brandId: string;
  @Column('uuid', { name: 'current_version_id' }) currentVersionId: string;
  @Column('int', { name: 'current_version' }) currentVersion: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
