import { Injectable } from '@nestjs/common';
import { RequestContext, TenantDb } from '@caredesk/core';
import type { BrandCopyProvider } from '@caredesk/brands';

/**
 * Brand duplication copies the canned replies (with their variants, usage reset) and the knowledge
 * bank. Entries lose their source message: the copy's brand has no conversations. Runs in the
 * duplication's transaction (TenantDb joins it), one statement per table whatever the sizes.
 */
@Injectable()
export class KnowledgeBrandCopy implements BrandCopyProvider {
  readonly key = 'KNOWLEDGE';
  readonly order = 40;

  constructor(private readonly db: TenantDb) {}

  async copy(ctx: RequestContext, fromBrandId: string, toBrandId: string): Promise<void> {
    await this.db.run(ctx, async (tx) => {
      // Foreign keys are checked at the end of the statement, when the new replies exist.
      await tx.query(
        `WITH src AS MATERIALIZED (
           SELECT id AS old_id, gen_random_uuid() AS new_id, title, shortcut, tags
             FROM canned_replies WHERE agency_id = $1 AND brand_id = $2),
         replies AS (
           INSERT INTO canned_replies (agency_id, id, brand_id, title, shortcut, tags, created_by_user_id)
           SELECT $1, new_id, $3, title, shortcut, tags, $4 FROM src)
         INSERT INTO canned_reply_variants (agency_id, canned_reply_id, brand_id, language, body)
         SELECT $1, src.new_id, $3, v.language, v.body
           FROM src JOIN canned_reply_variants v ON v.agency_id = $1 AND v.canned_reply_id = src.old_id`,
        [tx.agencyId, fromBrandId, toBrandId, ctx.userId],
      );
      await tx.query(
        `INSERT INTO knowledge_entries (agency_id, id, brand_id, question, answer, language, tags, created_by_user_id)
         SELECT $1, gen_random_uuid(), $3, question, answer, language, tags, $4
           FROM knowledge_entries WHERE agency_id = $1 AND brand_id = $2`,
        [tx.agencyId, fromBrandId, toBrandId, ctx.userId],
      );
    });
  }
}
