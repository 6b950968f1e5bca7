import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last TOTP time step a user's code was accepted for. A code is valid for its whole window
 * (±1 step), so without this a code seen over someone's shoulder could be replayed; a code is
 * accepted only for a step strictly after this one (RFC 6238 §5.2, "one-time" only once).
 */
export class TotpReplayGuard1763910000000 implements MigrationInterface {
  name = 'TotpReplayGuard1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN totp_last_step bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN totp_last_step`);
  }
}
