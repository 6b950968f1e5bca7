import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A global identity: one person, possibly a member of several agencies. Not tenant data. */
@Entity('users')
export class User {
  @PrimaryColumn('uuid') id: string;
  /** Always lower-case (a CHECK constraint holds it). */
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text', { name: 'password_hash', select: false }) passwordHash: string;
  /** Sealed with SecretBox, associated data ['user', id]. */
  @Column('text', { name: 'totp_secret', nullable: true, select: false }) totpSecret: string | null;
  @Column('text', { name: 'totp_pending_secret', nullable: true, select: false }) totpPendingSecret:
    string | null;
  @Column('timestamptz', { name: 'totp_enabled_at', nullable: true }) totpEnabledAt: Date | null;
  @Column('timestamptz', { name: 'password_changed_at' }) passwordChangedAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
