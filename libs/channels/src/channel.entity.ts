import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ChannelStatus, Platform } from './platform';

/** A brand's account on one platform (a page, a handle, a location, a mailbox). */
@Entity('channels')
export class Channel {
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'brand_id' }) brandId: string;
  @Column('text') platform: Platform;
  /** The platform's id of the account, normalised (see `normalizeExternalAccountId`). */
  @Column('text', { name: 'external_account_id' }) externalAccountId: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  /**
   * SecretBox ciphertext of the credentials, bound to (agency id, channel id). '' once disconnected:
   * secrets of an account we no longer serve are wiped, not kept. Never leaves ChannelCredentialsService.
   */
  @Column('text', { name: 'credentials_sealed' }) credentialsSealed: string;
  @Column('text') status: ChannelStatus;
  /** When credentials were last given (connect or reconnect). */
  @Column('timestamptz', { name: 'connected_at' }) connectedAt: Date;
  @Column('timestamptz', { name: 'disconnected_at', nullable: true }) disconnectedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
