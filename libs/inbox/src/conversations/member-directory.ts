import { TenantTx } from '@caredesk/core';

export interface InboxMember {
  userId: string;
  email: string;
  name: string;
}

/**
 * Members who may work every one of `brandIds`: not CLIENT_VIEWERs, and either all-brand members or
 * members assigned each brand. `userIds` narrows to those people (null: everyone).
 *
 * A read of identity's tables inside the caller's transaction (memberships and membership_brands are
 * RLS-scoped to the agency): the assignee and mention checks must run in the mutation's own
 * transaction, which a call into MemberService (its own listing, its own visibility rules) cannot.
 */
export async function membersWhoCanSee(
  tx: TenantTx,
  brandIds: readonly string[],
  userIds: readonly string[] | null,
): Promise<InboxMember[]> {
  return tx.query<InboxMember>(
    `SELECT u.id AS "userId", u.email, u.name
       FROM memberships ms JOIN users u ON u.id = ms.user_id
      WHERE ms.agency_id = $1 AND ms.role <> 'CLIENT_VIEWER'
        AND ($3::uuid[] IS NULL OR ms.user_id = ANY($3::uuid[]))
        AND (ms.all_brands OR NOT EXISTS (
              SELECT 1 FROM unnest($2::uuid[]) AS want(brand_id)
               WHERE NOT EXISTS (SELECT 1 FROM membership_brands mb
                                  WHERE mb.agency_id = ms.agency_id AND mb.membership_id = ms.id
                                    AND mb.brand_id = want.brand_id)))`,
    [tx.agencyId, [...new Set(brandIds)], userIds],
  );
}
