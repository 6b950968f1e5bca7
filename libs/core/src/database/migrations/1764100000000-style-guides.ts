import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../rls';

/**
 * Style guides (issue 4): one guide per brand pointing at its current version, and the versions
 * themselves. A version is immutable — every change inserts the next number — so a reply that
 * records `messages.style_guide_version_id` can always show exactly which rules it was checked
 * against; a trigger refuses any UPDATE of a version.
 *
 * style_guides.current_version_id → style_guide_versions is DEFERRABLE: the guide row and its first
 * version are inserted in one transaction, in either order.
 */
export class StyleGuides1764100000000 implements MigrationInterface {
  name = 'StyleGuides1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE style_guides (
      agency_id uuid NOT NULL,
      brand_id uuid NOT NULL,
      current_version_id uuid NOT NULL,
      current_version int NOT NULL CHECK (current_version > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, brand_id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);
    await q.query(`CREATE TABLE style_guide_versions (
      agency_id uuid NOT NULL,
      id uuid NOT NULL,
      brand_id uuid NOT NULL,
      number int NOT NULL CHECK (number > 0),
      rules jsonb NOT NULL,
      created_by_user_id uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, brand_id) REFERENCES style_guides(agency_id, brand_id),
      CONSTRAINT style_guide_versions_number_key UNIQUE (agency_id, brand_id, number)
    )`);
    await q.query(`ALTER TABLE style_guides ADD CONSTRAINT style_guides_current_version_fkey
      FOREIGN KEY (agency_id, current_version_id) REFERENCES style_guide_versions(agency_id, id)
      DEFERRABLE INITIALLY DEFERRED`);

    await q.query(`ALTER TABLE messages ADD COLUMN style_guide_version_id uuid`);
    await q.query(`ALTER TABLE messages ADD CONSTRAINT messages_style_guide_version_fkey
      FOREIGN KEY (agency_id, style_guide_version_id) REFERENCES style_guide_versions(agency_id, id)`);

    for (const t of ['style_guides', 'style_guide_versions']) {
      for (const sql of tenantTableSql(t)) await q.query(sql);
    }
    // Immutable versions: a trigger rather than a missing UPDATE grant, so the grants stay the same
    // as every other tenant table's (test/tenancy/rls.e2e-spec.ts checks them uniformly).
    await q.query(`CREATE FUNCTION style_guide_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'style guide versions are immutable'; END $$`);
    await q.query(`CREATE TRIGGER style_guide_versions_immutable BEFORE UPDATE ON style_guide_versions
      FOR EACH ROW EXECUTE FUNCTION style_guide_versions_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN style_guide_version_id`);
    await q.query(`ALTER TABLE style_guides DROP CONSTRAINT style_guides_current_version_fkey`);
    await q.query(`DROP TABLE style_guide_versions`);
    await q.query(`DROP FUNCTION style_guide_versions_immutable()`);
    await q.query(`DROP TABLE style_guides`);
  }
}
