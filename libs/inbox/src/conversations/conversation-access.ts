import { AppError, isUuid, RequestContext, TenantTx } from '@caredesk/core';
import { BULK_MAX } from './dto/conversation-actions.input';

export interface LockedConversation {
  id: string;
  brandId: string;
  status: string;
}

/**
 * The one access check for client-supplied conversation ids: all of them in one statement, locked
 * for the mutation (FOR UPDATE, in id order so two bulk calls cannot deadlock). Any id that is
 * missing, another agency's (RLS hides it) or of a brand out of scope → NOT_FOUND for the whole call.
 */
export async function lockVisible(
  ctx: RequestContext,
  tx: TenantTx,
  ids: readonly string[],
): Promise<LockedConversation[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw AppError.badInput('Give at least one conversation', 'conversationIds');
  if (unique.length > BULK_MAX) {
    throw AppError.badInput(`At most ${BULK_MAX} conversations per call`, 'conversationIds');
  }
  if (!unique.every(isUuid)) throw AppError.notFound('Conversation');
  const rows = await tx.query<LockedConversation>(
    `SELECT id, brand_id AS "brandId", status FROM conversations
      WHERE agency_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
    [tx.agencyId, unique],
  );
  if (rows.length !== unique.length || !rows.every((r) => ctx.canSeeBrand(r.brandId))) {
    throw AppError.notFound('Conversation');
  }
  return rows;
}
