import { Role } from '@caredesk/core';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A user's place in an agency: a role, and either every brand or the brands in membership_brands. */
@Entity('memberships')
export class Membership {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') role: Role;
  @Column('boolean', { name: 'all_brands', default: true }) allBrands: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('membership_brands')
export class MembershipBrand {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid', { name: 'membership_id' }) membershipId: string;
  @PrimaryColumn('uuid', { name: 'brand_id' }) brandId: string;
}
