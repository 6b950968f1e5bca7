import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../rls';

/**
 * The bytes of attachments no platform hosts (email): a mail's PDF or photo has no URL to link to,
 * so Caredesk keeps it. Content-addressed per brand — `sha256` of the bytes — so a mail redelivered
 * (an SMTP retry, a second mailbox of the brand) stores nothing new, and a message's attachment names
 * its bytes by that hash (`messages.attachments[].contentId`). Rows are written before the delivery's
 * inbound_events row commits, so an event never names bytes that are not there.
 *
 * STORAGE EXTERNAL: out of line (TOAST) but not compressed — PDFs, images and video are compressed
 * already, and pglz would spend CPU on every insert to find that out.
 */
export class AttachmentContents1764190000000 implements MigrationInterface {
  name = 'AttachmentContents1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE attachment_contents (
      agency_id uuid NOT NULL,
      brand_id uuid NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      mime_type text NOT NULL CHECK (length(mime_type) BETWEEN 1 AND 255),
      size integer NOT NULL CHECK (size >= 0),
      content bytea NOT NULL CHECK (octet_length(content) = size),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, brand_id, sha256),
      FOREIGN KEY (agency_id, brand_id) REFERENCES brands(agency_id, id)
    )`);
    await q.query(`ALTER TABLE attachment_contents ALTER COLUMN content SET STORAGE EXTERNAL`);
    for (const sql of tenantTableSql('attachment_contents')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment_contents`);
  }
}
