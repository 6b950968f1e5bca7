import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface BusinessHoursWindow {
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  day: number;
  /** "HH:MM", 24-hour, in the brand's timezone */
  opens: string;
  /** "HH:MM"; "24:00" closes at midnight */
  closes: string;
}

export interface Holiday {
  /** "YYYY-MM-DD" in the brand's timezone */
  date: string;
  name: string | null;
}

@Entity('brands')
export class Brand {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') slug: string;
  /** IANA timezone; business hours and holidays are evaluated in it */
  @Column('text') timezone: string;
  /** BCP-47 tags, canonicalised */
  @Column('text', { array: true, default: () => "'{}'" }) languages: string[];
  @Column('jsonb', { name: 'business_hours', default: () => "'[]'" }) businessHours: BusinessHoursWindow[];
  @Column('jsonb', { default: () => "'[]'" }) holidays: Holiday[];
  /** White-label look used by reports */
  @Column('text', { name: 'display_name', nullable: true }) displayName: string | null;
  @Column('text', { name: 'logo_url', nullable: true }) logoUrl: string | null;
  @Column('text', { name: 'primary_color', nullable: true }) primaryColor: string | null;
  @Column('jsonb', { default: () => "'{}'" }) settings: Record<string, unknown>;
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
