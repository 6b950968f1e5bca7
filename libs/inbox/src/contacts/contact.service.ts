import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TenantTx } from '@caredesk/core';
import type { NormalizedMessage, Platform } from '@caredesk/channels';

export interface ContactRef {
  contactId: string;
  identityId: string;
  /** True when this call created the contact (the customer is new to the brand). */
  created: boolean;
}

/** A customer as a platform names them, on one brand. */
export interface CustomerOnBrand {
  brandId: string;
  platform: Platform;
  customer: NonNullable<NormalizedMessage['customer']>;
}

/** The key of a customer's identity: contact_identities_key without the agency. */
export function identityKey(
  c: Pick<CustomerOnBrand, 'brandId' | 'platform'> & { externalUserId: string },
): string {
  return `${c.brandId}\u0000${c.platform}\u0000${c.externalUserId}`;
}

/** The identityKey of a customer as a platform names them. */
export function keyOfCustomer(c: CustomerOnBrand): string {
  return identityKey({ brandId: c.brandId, platform: c.platform, externalUserId: c.customer.externalUserId });
}

/** The identityKey of a stored identity. */
function keyOfRow(row: IdentityRow): string {
  return identityKey({ brandId: row.brand_id, platform: row.platform, externalUserId: row.external_user_id });
}

interface IdentityRow {
  id: string;
  contact_id: string;
  brand_id: string;
  platform: Platform;
  external_user_id: string;
}

/**
 * A brand's customers and their platform identities. One identity per (brand, platform, platform
 * user id) — the unique key contact_identities_key — so two workers seeing the same new customer at
 * once end with one contact. Set-based: a batch of any size costs two statements when every customer
 * is known, three when some are new, and two more only when another transaction created one of the
 * same customers at the same moment.
 */
@Injectable()
export class ContactService {
  /**
   * The contacts behind `customers` (keyed by identityKey), created with their identities when new.
   * Profile fields the platform sent refresh the identity (people rename themselves); a field the
   * platform left out (null) keeps what we had. A customer named twice is resolved once (the last
   * profile wins).
   */
  async resolveIdentities(tx: TenantTx, customers: CustomerOnBrand[]): Promise<Map<string, ContactRef>> {
    const wanted = new Map<string, CustomerOnBrand>();
    for (const c of customers) wanted.set(keyOfCustomer(c), c);
    // Sorted: two transactions touching the same identities lock them in the same order.
    const list = [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
    const refs = new Map<string, ContactRef>();
    if (list.length === 0) return refs;

    for (const row of await this.refresh(tx, list)) {
      refs.set(keyOfRow(row), {
        contactId: row.contact_id,
        identityId: row.id,
        created: false,
      });
    }
    const missing = list.filter((c) => !refs.has(keyOfCustomer(c)));
    if (missing.length > 0) await this.create(tx, missing, refs);
    return refs;
  }

  /** Known identities, with changed profile fields written back (unchanged rows are not rewritten). */
  private refresh(tx: TenantTx, list: CustomerOnBrand[]): Promise<IdentityRow[]> {
    return tx.query<IdentityRow>(
      `WITH v AS (
         SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS v(brand_id, platform, external_user_id, username, display_name)
       ), found AS (
         SELECT ci.id, ci.contact_id, ci.brand_id, ci.platform, ci.external_user_id,
                v.username IS NOT NULL AND v.username IS DISTINCT FROM ci.username
                  OR v.display_name IS NOT NULL AND v.display_name IS DISTINCT FROM ci.display_name AS changed,
                v.username, v.display_name
           FROM contact_identities ci
           JOIN v ON ci.brand_id = v.brand_id AND ci.platform = v.platform AND ci.external_user_id = v.external_user_id
          WHERE ci.agency_id = $1
       ), updated AS (
         UPDATE contact_identities ci
            SET username = COALESCE(f.username, ci.username),
                display_name = COALESCE(f.display_name, ci.display_name), updated_at = now()
           FROM found f
          WHERE ci.agency_id = $1 AND ci.id = f.id AND f.changed
       )
       SELECT id, contact_id, brand_id, platform, external_user_id FROM found`,
      [
        tx.agencyId,
        list.map((c) => c.brandId),
        list.map((c) => c.platform),
        list.map((c) => c.customer.externalUserId),
        list.map((c) => c.customer.username),
        list.map((c) => c.customer.displayName),
      ],
    );
  }

  /**
   * New customers: contacts and identities in one statement (the identity's foreign key is checked at
   * the end of the statement, when the contact is there). An identity another transaction created
   * meanwhile is skipped (ON CONFLICT DO NOTHING); our contact for it is removed and theirs is used.
   */
  private async create(
    tx: TenantTx,
    missing: CustomerOnBrand[],
    refs: Map<string, ContactRef>,
  ): Promise<void> {
    const contactIds = missing.map(() => randomUUID());
    const inserted = await tx.query<IdentityRow>(
      `WITH v AS (
         SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           WITH ORDINALITY AS v(contact_id, identity_id, brand_id, platform, external_user_id, username, display_name,
                                avatar_url, n)
       ), contacts_in AS (
         INSERT INTO contacts (agency_id, id, brand_id, display_name, avatar_url)
         SELECT $1, contact_id, brand_id, COALESCE(display_name, username), avatar_url FROM v
       )
       INSERT INTO contact_identities
         (agency_id, id, brand_id, contact_id, platform, external_user_id, username, display_name)
       SELECT $1, identity_id, brand_id, contact_id, platform, external_user_id, username, display_name
         FROM v ORDER BY n
       ON CONFLICT ON CONSTRAINT contact_identities_key DO NOTHING
       RETURNING id, contact_id, brand_id, platform, external_user_id`,
      [
        tx.agencyId,
        contactIds,
        missing.map(() => randomUUID()),
        missing.map((c) => c.brandId),
        missing.map((c) => c.platform),
        missing.map((c) => c.customer.externalUserId),
        missing.map((c) => c.customer.username),
        missing.map((c) => c.customer.displayName),
        missing.map((c) => c.customer.avatarUrl),
      ],
    );
    for (const row of inserted) {
      refs.set(keyOfRow(row), {
        contactId: row.contact_id,
        identityId: row.id,
        created: true,
      });
    }
    if (inserted.length === missing.length) return;

    const lost = missing
      .map((c, i) => ({ c, contactId: contactIds[i] }))
      .filter(({ c }) => !refs.has(keyOfCustomer(c)));
    await tx.execute(`DELETE FROM contacts WHERE agency_id = $1 AND id = ANY($2::uuid[])`, [
      tx.agencyId,
      lost.map((l) => l.contactId),
    ]);
    for (const row of await this.refresh(
      tx,
      lost.map((l) => l.c),
    )) {
      refs.set(keyOfRow(row), {
        contactId: row.contact_id,
        identityId: row.id,
        created: false,
      });
    }
  }
}
