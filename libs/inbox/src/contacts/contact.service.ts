import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RequestContext, TenantDb } from '@caredesk/core';
import type { NormalizedMessage, Platform } from '@caredesk/channels';

export interface ContactRef {
  contactId: string;
  identityId: string;
  /** True when this call created the contact (the customer is new to the brand). */
  created: boolean;
}

type Customer = NormalizedMessage['customer'];

/**
 * A brand's customers and their platform identities. One identity per (brand, platform, platform
 * user id) — the unique key contact_identities_key — so two workers seeing the same new customer at
 * once end with one contact.
 */
@Injectable()
export class ContactService {
  constructor(private readonly db: TenantDb) {}

  /**
   * The contact behind `customer` on `platform` for `brandId`, created with its identity when new.
   * Profile fields the platform sent refresh the identity (people rename themselves); a field the
   * platform left out (null) keeps what we had.
   */
  async upsertIdentity(
    ctx: RequestContext,
    brandId: string,
    platform: Platform,
    customer: Customer,
  ): Promise<ContactRef> {
    return this.db.run(ctx, async (tx) => {
      const existing = await tx.query<{ id: string; contact_id: string }>(
        `UPDATE contact_identities
            SET username = COALESCE($4, username), display_name = COALESCE($5, display_name),
                updated_at = now()
          WHERE agency_id = $1 AND brand_id = $2 AND platform = $3 AND external_user_id = $6
          RETURNING id, contact_id`,
        [ctx.agencyId, brandId, platform, customer.username, customer.displayName, customer.externalUserId],
      );
      // TypeORM answers an UPDATE … RETURNING with [rows, count].
      const found = unwrap<{ id: string; contact_id: string }>(existing)[0];
      if (found) return { contactId: found.contact_id, identityId: found.id, created: false };

      // New to us. The identity needs its contact first (a non-deferrable foreign key), so insert the
      // contact, then the identity ON CONFLICT DO NOTHING; if another worker won the race meanwhile,
      // drop our contact again and take theirs.
      const contactId = randomUUID();
      await tx.query(
        `INSERT INTO contacts (agency_id, id, brand_id, display_name, avatar_url) VALUES ($1, $2, $3, $4, $5)`,
        [ctx.agencyId, contactId, brandId, customer.displayName ?? customer.username, customer.avatarUrl],
      );
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO contact_identities
           (agency_id, id, brand_id, contact_id, platform, external_user_id, username, display_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT ON CONSTRAINT contact_identities_key DO NOTHING
         RETURNING id`,
        [
          ctx.agencyId,
          randomUUID(),
          brandId,
          contactId,
          platform,
          customer.externalUserId,
          customer.username,
          customer.displayName,
        ],
      );
      if (inserted[0]) return { contactId, identityId: inserted[0].id, created: true };

      await tx.execute(`DELETE FROM contacts WHERE agency_id = $1 AND id = $2`, [ctx.agencyId, contactId]);
      const [winner] = await tx.query<{ id: string; contact_id: string }>(
        `SELECT id, contact_id FROM contact_identities
          WHERE agency_id = $1 AND brand_id = $2 AND platform = $3 AND external_user_id = $4`,
        [ctx.agencyId, brandId, platform, customer.externalUserId],
      );
      return { contactId: winner.contact_id, identityId: winner.id, created: false };
    });
  }
}

function unwrap<R>(result: unknown): R[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as R[];
}
