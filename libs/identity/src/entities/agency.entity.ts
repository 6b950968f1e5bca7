import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The tenant. RLS admits only the agency named by app.agency_id (and, read-only, a user's own). */
@Entity('agencies')
export class Agency {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('boolean', { name: 'require_two_factor', default: false }) requireTwoFactor: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
