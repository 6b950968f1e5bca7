import { Injectable } from '@nestjs/common';
import { AppError, isUuid, RequestContext, TenantTx } from '@caredesk/core';

export interface ConversationFacts {
  id: string;
  brandId: string;
  /** Detected language of the latest inbound message (libs/analysis), or null. */
  language: string | null;
  contactName: string | null;
}

export interface MessageFacts {
  id: string;
  conversationId: string;
  brandId: string;
  direction: 'INBOUND' | 'OUTBOUND';
  body: string;
  language: string | null;
  /** When it was written (messages.written_at): what "latest" and "before" go by. */
  writtenAt: Date;
}

/**
 * SEAM: everything knowledge reads of the inbox (conversations, messages, contacts) and of identity
 * (an agent's name), in one place and read-only. DESIGN.md wants contexts to talk through services;
 * the inbox exports no read service for these facts yet, so this file reads the rows directly and is
 * the one thing to swap for one when it does. All reads run in the caller's tenant transaction.
 */
@Injectable()
export class ConversationFactsReader {
  /** NOT_FOUND for a missing id, another agency's (RLS hides it) or one of a brand out of scope. */
  async conversation(ctx: RequestContext, tx: TenantTx, id: string): Promise<ConversationFacts> {
    const [row] = isUuid(id)
      ? await tx.query<ConversationFacts>(
          `SELECT c.id, c.brand_id AS "brandId", c.language, ct.display_name AS "contactName"
             FROM conversations c
             -- LEFT: a thread the brand started has no contact until a customer writes.
             LEFT JOIN contacts ct ON ct.agency_id = c.agency_id AND ct.id = c.contact_id
            WHERE c.agency_id = $1 AND c.id = $2`,
          [tx.agencyId, id],
        )
      : [];
    if (!row || !ctx.canSeeBrand(row.brandId)) throw AppError.notFound('Conversation');
    return row;
  }

  /** NOT_FOUND like `conversation`, for a message. */
  async message(ctx: RequestContext, tx: TenantTx, id: string): Promise<MessageFacts> {
    const [row] = isUuid(id)
      ? await tx.query<MessageFacts>(
          `SELECT id, conversation_id AS "conversationId", brand_id AS "brandId", direction, body, language,
                  written_at AS "writtenAt"
             FROM messages WHERE agency_id = $1 AND id = $2 AND deleted_at IS NULL`,
          [tx.agencyId, id],
        )
      : [];
    if (!row || !ctx.canSeeBrand(row.brandId)) throw AppError.notFound('Message');
    return row;
  }

  /**
   * The customer's latest message in the conversation (before `before`, when given): what a reply
   * answers, and what suggestions are for. Uses messages_conversation_written_idx.
   */
  async lastInbound(
    tx: TenantTx,
    conversationId: string,
    before?: { writtenAt: Date; id: string },
  ): Promise<MessageFacts | null> {
    const params: unknown[] = [tx.agencyId, conversationId];
    let beforeSql = '';
    if (before) {
      params.push(before.writtenAt, before.id);
      beforeSql = 'AND (written_at, id) < ($3, $4)';
    }
    const [row] = await tx.query<MessageFacts>(
      `SELECT id, conversation_id AS "conversationId", brand_id AS "brandId", direction, body, language,
              written_at AS "writtenAt"
         FROM messages
        WHERE agency_id = $1 AND conversation_id = $2 AND direction = 'INBOUND' AND deleted_at IS NULL
          AND body <> '' ${beforeSql}
        ORDER BY written_at DESC, id DESC LIMIT 1`,
      params,
    );
    return row ?? null;
  }

  /** The acting user's name (users is global identity data, readable by the app role). */
  async userName(tx: TenantTx, userId: string | null): Promise<string | null> {
    if (!userId) return null;
    const [row] = await tx.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [userId]);
    return row?.name ?? null;
  }
}
