import { Role } from '@caredesk/core';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An integration's credential. Only the SHA-256 of the key is stored; the key is shown once. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') role: Role;
  @Column('boolean', { name: 'all_brands', default: true }) allBrands: boolean;
  @Column('text', { name: 'key_hash', select: false }) keyHash: string;
  @Column('text', { name: 'key_prefix' }) keyPrefix: string;
  @Column('uuid', { name: 'created_by_user_id', nullable: true }) createdByUserId: string | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('api_key_brands')
export class ApiKeyBrand {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid', { name: 'api_key_id' }) apiKeyId: string;
  @PrimaryColumn('uuid', { name: 'brand_id' }) brandId: string;
}
