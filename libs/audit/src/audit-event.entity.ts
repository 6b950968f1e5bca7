import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('audit_events')
export class AuditEvent {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'actor_user_id', nullable: true }) actorUserId: string | null;
  @Column('uuid', { name: 'actor_api_key_id', nullable: true }) actorApiKeyId: string | null;
  /** What the UI shows for the actor even after the user leaves: email, API key name, or "system: …". */
  @Column('text', { name: 'actor_label' }) actorLabel: string;
  /** `<entity>.<verb>`, e.g. `brand.create`, `member.role_change`. */
  @Column('text') action: string;
  @Column('text', { name: 'entity_type' }) entityType: string;
  @Column('text', { name: 'entity_id', nullable: true }) entityId: string | null;
  @Column('uuid', { name: 'brand_id', nullable: true }) brandId: string | null;
  /** Changed fields (never secrets: credentials and tokens are left out by the caller). */
  @Column('jsonb', { default: {} }) changes: Record<string, unknown>;
  @Column('text', { nullable: true }) ip: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
