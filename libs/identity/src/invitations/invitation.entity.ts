import { Role } from '@caredesk/core';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An offer of a membership, sent by mail. The token reads `<agencyId>.<secret>`; only sha256(secret)
 * is stored, so a database reader cannot accept an invitation. Pending = neither accepted nor
 * revoked; a partial unique index allows one pending invitation per email and agency.
 */
@Entity('invitations')
export class Invitation {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  /** Always lower-case. */
  @Column('text') email: string;
  @Column('text') role: Role;
  /** Empty means every brand (never for CLIENT_VIEWER). */
  @Column('uuid', { name: 'brand_ids', array: true, default: () => "'{}'" }) brandIds: string[];
  @Column('text', { name: 'token_hash' }) tokenHash: string;
  @Column('uuid', { name: 'invited_by_user_id', nullable: true }) invitedByUserId: string | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
