import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log pages with a keyset cursor over (created_at, id) that carries a JavaScript Date,
 * which holds milliseconds. With microsecond timestamps a cursor would round the last row's time
 * down and the next page would skip its same-millisecond neighbours; storing milliseconds makes
 * the cursor exact.
 */
export class AuditEventsMillisecondTime1763930000000 implements MigrationInterface {
  name = 'AuditEventsMillisecondTime1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ALTER COLUMN created_at TYPE timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ALTER COLUMN created_at TYPE timestamptz`);
  }
}
