import { Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import { Platform } from '@caredesk/channels';
import { AppError, RequestContext, Role, TenantDb, USER_ACTION_RETRIES } from '@caredesk/core';
import { ContactDto } from '../conversations/dto/conversation.dto';
import { LiveEvent } from '../live/live-channels';
import { LiveEvents } from '../live/live-events';

/**
 * One customer, one contact: ingest keys a contact by its identity on one platform, so a customer who
 * writes to a brand on Facebook and on Instagram starts as two contacts. Merging moves the other
 * contact's identities and conversations onto this one (so `conversation(id).contact.identities` shows
 * every platform and `earlierConversations` all of them) and deletes it, in one transaction.
 * Contacts are per brand: both must be of the same brand. AGENT+ who can see the brand; audited
 * (the audit service records MANAGER+ calls, as for every inbox action).
 * Ingest keeps resolving the moved identities to the merged contact (the identity row carries it).
 */
@Injectable()
export class ContactMergeService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly live: LiveEvents,
  ) {}

  async merge(ctx: RequestContext, contactId: string, mergeContactId: string): Promise<ContactDto> {
    ctx.requireRole(Role.AGENT);
    if (contactId === mergeContactId) {
      throw AppError.badInput('A contact cannot be merged into itself', 'mergeContactId');
    }
    return this.db.run(
      ctx,
      async (tx) => {
        // Both rows locked, in id order (two merges of the same pair cannot deadlock); one the caller
        // cannot see is NOT_FOUND, exactly like one that does not exist.
        const rows = await tx.query<{ id: string; brand_id: string }>(
          `SELECT id, brand_id FROM contacts WHERE agency_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
          [tx.agencyId, [contactId, mergeContactId]],
        );
        const keep = rows.find((r) => r.id === contactId);
        const gone = rows.find((r) => r.id === mergeContactId);
        if (!keep || !ctx.canSeeBrand(keep.brand_id)) throw AppError.notFound('Contact');
        if (!gone || !ctx.canSeeBrand(gone.brand_id)) throw AppError.notFound('Contact');
        if (keep.brand_id !== gone.brand_id) {
          throw AppError.badInput('Only contacts of the same brand can be merged', 'mergeContactId');
        }

        const identities = await tx.returning<{ id: string }>(
          `UPDATE contact_identities SET contact_id = $2, updated_at = now()
          WHERE agency_id = $1 AND contact_id = $3 RETURNING id`,
          [tx.agencyId, contactId, mergeContactId],
        );
        const conversations = await tx.returning<{ id: string }>(
          `UPDATE conversations SET contact_id = $2, updated_at = now()
          WHERE agency_id = $1 AND contact_id = $3 RETURNING id`,
          [tx.agencyId, contactId, mergeContactId],
        );
        // What the kept contact lacks, the merged one supplies.
        await tx.execute(
          `UPDATE contacts k SET display_name = coalesce(k.display_name, g.display_name),
                               avatar_url = coalesce(k.avatar_url, g.avatar_url), updated_at = now()
           FROM contacts g
          WHERE k.agency_id = $1 AND k.id = $2 AND g.agency_id = $1 AND g.id = $3`,
          [tx.agencyId, contactId, mergeContactId],
        );
        await tx.execute(`DELETE FROM contacts WHERE agency_id = $1 AND id = $2`, [
          tx.agencyId,
          mergeContactId,
        ]);
        await this.audit.record(ctx, {
          action: 'contact.merge',
          entityType: 'contact',
          entityId: contactId,
          brandId: keep.brand_id,
          changes: {
            mergedContactId: mergeContactId,
            identityIds: identities.map((i) => i.id),
            conversationIds: conversations.map((c) => c.id),
          },
        });
        tx.afterCommit(() => {
          const events: LiveEvent[] = conversations.map((c) => ({
            kind: 'CONVERSATION_CHANGED',
            brandId: keep.brand_id,
            conversationId: c.id,
            change: 'CONTACT',
          }));
          return this.live.many(tx.agencyId, events);
        });

        const [contact] = await tx.query<{
          id: string;
          display_name: string | null;
          avatar_url: string | null;
        }>(`SELECT id, display_name, avatar_url FROM contacts WHERE agency_id = $1 AND id = $2`, [
          tx.agencyId,
          contactId,
        ]);
        const ids = await tx.query<{
          id: string;
          platform: Platform;
          external_user_id: string;
          username: string | null;
          display_name: string | null;
        }>(
          `SELECT id, platform, external_user_id, username, display_name FROM contact_identities
          WHERE agency_id = $1 AND contact_id = $2 ORDER BY created_at, id`,
          [tx.agencyId, contactId],
        );
        return Object.assign(new ContactDto(), {
          id: contact.id,
          displayName: contact.display_name,
          avatarUrl: contact.avatar_url,
          identities: ids.map((i) => ({
            id: i.id,
            platform: i.platform,
            externalUserId: i.external_user_id,
            username: i.username,
            displayName: i.display_name,
          })),
        });
      },
      USER_ACTION_RETRIES,
    );
  }
}
