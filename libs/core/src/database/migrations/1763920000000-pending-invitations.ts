import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One pending invitation per email and agency: two admins inviting the same person at once get one
 * invitation and a CONFLICT, not two live tokens for one membership. Expired pending invitations
 * are revoked by the service before a new one is created, so they do not block re-inviting.
 * Also indexes password reset tokens by user, for the per-email rate limit and "revoke the others".
 */
export class PendingInvitations1763920000000 implements MigrationInterface {
  name = 'PendingInvitations1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX invitations_pending_email_key ON invitations (agency_id, email)
      WHERE accepted_at IS NULL AND revoked_at IS NULL`);
    await q.query(
      `CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS password_reset_tokens_user_idx`);
    await q.query(`DROP INDEX IF EXISTS invitations_pending_email_key`);
  }
}
