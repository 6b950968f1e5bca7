import { Injectable } from '@nestjs/common';
import { BrandAccessService } from '@caredesk/brands';
import { RequestContext, Role, TenantDb, TenantTx } from '@caredesk/core';
import { TagDto } from '../conversations/dto/conversation.dto';

/** Tags per brand. Created on first use by adding them to a conversation; there is no separate "create". */
@Injectable()
export class TagService {
  constructor(
    private readonly db: TenantDb,
    private readonly brandAccess: BrandAccessService,
  ) {}

  async list(ctx: RequestContext, brandId: string): Promise<TagDto[]> {
    ctx.requireRole(Role.AGENT);
    return this.db.run(ctx, async (tx) => {
      await this.brandAccess.requireOne(ctx, brandId);
      return tx.query<TagDto>(
        `SELECT id, brand_id AS "brandId", name FROM tags WHERE agency_id = $1 AND brand_id = $2 ORDER BY lower(name)`,
        [ctx.agencyId, brandId],
      );
    });
  }

  /**
   * Adds `names` (normalized) to each conversation, creating the brand's missing tags; idempotent.
   * Two statements per brand involved, whatever the number of conversations and tags.
   */
  async attach(tx: TenantTx, conversations: Array<{ id: string; brandId: string }>, names: string[]) {
    for (const [brandId, ids] of groupByBrand(conversations)) {
      const tagIds = await this.ensure(tx, brandId, names);
      await tx.query(
        `INSERT INTO conversation_tags (agency_id, conversation_id, tag_id)
         SELECT $1, conv, tag FROM unnest($2::uuid[]) AS conv CROSS JOIN unnest($3::uuid[]) AS tag
         ON CONFLICT DO NOTHING`,
        [tx.agencyId, ids, tagIds],
      );
    }
  }

  /** Removes the tags named (case-insensitive) from each conversation; unknown names are ignored. */
  async detach(tx: TenantTx, conversations: Array<{ id: string; brandId: string }>, names: string[]) {
    await tx.execute(
      `DELETE FROM conversation_tags ct USING tags t
        WHERE ct.agency_id = $1 AND ct.conversation_id = ANY($2::uuid[])
          AND t.agency_id = ct.agency_id AND t.id = ct.tag_id AND lower(t.name) = ANY($3::text[])`,
      [tx.agencyId, conversations.map((c) => c.id), names.map((n) => n.toLowerCase())],
    );
  }

  /**
   * The brand's tag ids for `names` (normalized: distinct case-insensitively), creating missing ones
   * (race-safe on the unique lower(name)).
   */
  private async ensure(tx: TenantTx, brandId: string, names: string[]): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      `WITH wanted AS (SELECT n FROM unnest($3::text[]) AS n),
            created AS (
              INSERT INTO tags (agency_id, id, brand_id, name)
              SELECT $1, gen_random_uuid(), $2, n FROM wanted
              ON CONFLICT (agency_id, brand_id, lower(name)) DO NOTHING
              RETURNING id)
       SELECT id FROM created
       UNION
       SELECT t.id FROM tags t JOIN wanted w ON lower(t.name) = lower(w.n)
        WHERE t.agency_id = $1 AND t.brand_id = $2`,
      [tx.agencyId, brandId, names],
    );
    if (rows.length >= names.length) return rows.map((r) => r.id);
    // A tag another transaction created at the same moment: our INSERT waited for it and did
    // nothing, and this statement's snapshot predates it. A new statement (READ COMMITTED) sees it.
    const again = await tx.query<{ id: string }>(
      `SELECT t.id FROM tags t WHERE t.agency_id = $1 AND t.brand_id = $2 AND lower(t.name) = ANY($3::text[])`,
      [tx.agencyId, brandId, names.map((n) => n.toLowerCase())],
    );
    return again.map((r) => r.id);
  }
}

function groupByBrand(conversations: Array<{ id: string; brandId: string }>): Map<string, string[]> {
  const byBrand = new Map<string, string[]>();
  for (const c of conversations) byBrand.set(c.brandId, [...(byBrand.get(c.brandId) ?? []), c.id]);
  return byBrand;
}
