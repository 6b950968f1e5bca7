import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Global (no tenant): a reset belongs to the person, across every agency they are in. Only sha256 of the token is kept. */
@Entity('password_reset_tokens')
export class PasswordResetToken {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text', { name: 'token_hash' }) tokenHash: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
