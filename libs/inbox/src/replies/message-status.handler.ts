import { Injectable } from '@nestjs/common';
import { TenantTx } from '@caredesk/core';
import { OutboundMessage, OutboundResult, OutboundResultHandler } from '@caredesk/channels';
import { FIRST_UNANSWERED_SQL } from '../conversations/awaiting-reply.sql';
import { LiveEvents } from '../live/live-events';

/**
 * Inbox's side of a finished send (registered with OutboundResultRegistry): a reply's message moves
 * to SENT with the platform's id or FAILED with the coded reason; a moderation, once done on the
 * platform, is recorded on the moderated message.
 */
@Injectable()
export class MessageStatusHandler implements OutboundResultHandler {
  readonly key = 'inbox.messages';

  constructor(private readonly live: LiveEvents) {}

  async handle(tx: TenantTx, outbound: OutboundMessage, result: OutboundResult): Promise<void> {
    if (!outbound.messageId) return;
    const params = [tx.agencyId, outbound.messageId];
    switch (outbound.action) {
      case 'HIDE':
      case 'UNHIDE':
      case 'DELETE': {
        // A failed moderation leaves the message as it was; the outbound row keeps the reason.
        if (result.status !== 'SENT') return;
        const column = outbound.action === 'DELETE' ? 'deleted_at' : 'hidden_at';
        const value = outbound.action === 'UNHIDE' ? null : result.sentAt;
        const rows = await tx.returning<MessageRef>(
          `UPDATE messages SET ${column} = $3, updated_at = now() WHERE agency_id = $1 AND id = $2
           RETURNING ${MESSAGE_REF}`,
          [...params, value],
        );
        this.tellAfterCommit(tx, rows, 'MODERATION');
        return;
      }
    }
    if (result.status === 'FAILED') {
      const rows = await tx.returning<MessageRef>(
        `UPDATE messages SET status = 'FAILED', failure_code = $3, failure_message = $4, updated_at = now()
          WHERE agency_id = $1 AND id = $2
          RETURNING ${MESSAGE_REF}`,
        [...params, result.failureCode, result.failureMessage],
      );
      this.tellAfterCommit(tx, rows, 'SEND_STATUS');
      await this.waitAgain(tx, rows);
      return;
    }
    if (result.externalId && (await this.mergeEcho(tx, outbound.messageId, outbound.channelId, result))) {
      return;
    }
    // Another message holding the id that is not an echo to merge (see mergeEcho) keeps it: the id
    // is unique per channel, and the reply is SENT all the same.
    const rows = await tx.returning<MessageRef>(
      `UPDATE messages m SET status = 'SENT', failure_code = NULL, failure_message = NULL,
              platform_created_at = $4, updated_at = now(),
              external_id = CASE WHEN EXISTS (
                SELECT 1 FROM messages e WHERE e.agency_id = m.agency_id AND e.channel_id = m.channel_id
                   AND e.external_id = $3 AND e.id <> m.id) THEN m.external_id ELSE $3 END
        WHERE m.agency_id = $1 AND m.id = $2
        RETURNING ${MESSAGE_REF}`,
      [...params, result.externalId, result.sentAt],
    );
    this.tellAfterCommit(tx, rows, 'SEND_STATUS');
  }

  /**
   * A reply that failed answered nothing: storing it ended the customer's wait (ReplyService), so the
   * conversation waits again from its first customer message after the brand's last message that did
   * not fail — unless it is resolved or marked "no reply needed", which wait for nothing.
   */
  private async waitAgain(tx: TenantTx, rows: MessageRef[]): Promise<void> {
    if (rows.length === 0) return;
    const [{ brandId, conversationId }] = rows;
    const changed = await tx.returning<{ id: string }>(
      `WITH w AS (
         SELECT c.id, ${FIRST_UNANSWERED_SQL} AS since FROM conversations c
          WHERE c.agency_id = $1 AND c.id = $2 AND c.status <> 'RESOLVED' AND c.no_reply_needed_reason IS NULL)
       UPDATE conversations c SET awaiting_reply_since = w.since, updated_at = now()
         FROM w
        WHERE c.agency_id = $1 AND c.id = w.id AND c.awaiting_reply_since IS DISTINCT FROM w.since
        RETURNING c.id`,
      [tx.agencyId, conversationId],
    );
    if (changed.length === 0) return;
    const agencyId = tx.agencyId;
    tx.afterCommit(() =>
      this.live.conversationChanged(agencyId, { brandId, conversationId, change: 'WAITING' }),
    );
  }

  /** Dashboards showing the conversation re-read the message (after commit: never a rolled-back state). */
  private tellAfterCommit(tx: TenantTx, rows: MessageRef[], change: string): void {
    const agencyId = tx.agencyId;
    for (const r of rows) {
      tx.afterCommit(() =>
        this.live.messageUpdated(agencyId, {
          brandId: r.brandId,
          conversationId: r.conversationId,
          messageId: r.id,
          change,
        }),
      );
    }
  }

  /**
   * The platform's echo of this reply ingested before the send was recorded (the usual order when an
   * answer was lost and the retry reconciled; the only order for platforms whose echo does not carry
   * our idempotency key — everything but Meta DMs, see OutboxService.confirmFromEcho) is the same
   * message stored twice: an OUTBOUND row with no author and no outbound row of its own, holding the
   * platform id. It is merged into the reply — the id and the platform's time move to the reply, the
   * echo row goes, and a conversation whose last message it was points at its new last one — in
   * this transaction, so nobody ever sees the id on two rows or on none. Answers whether it merged.
   */
  private async mergeEcho(
    tx: TenantTx,
    replyId: string,
    channelId: string,
    result: { externalId: string | null; sentAt: Date },
  ): Promise<boolean> {
    const [echo] = await tx.query<EchoRow>(
      `SELECT e.id, e.brand_id AS "brandId", e.conversation_id AS "conversationId",
              e.platform_created_at AS "platformCreatedAt"
         FROM messages e
        WHERE e.agency_id = $1 AND e.channel_id = $2 AND e.external_id = $3 AND e.id <> $4
          AND e.direction = 'OUTBOUND' AND e.author_user_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM outbound_messages o WHERE o.agency_id = e.agency_id AND o.message_id = e.id)
        FOR UPDATE`,
      [tx.agencyId, channelId, result.externalId, replyId],
    );
    if (!echo) return false;
    // Deleted first: external_id is unique per channel (messages_external_key).
    await tx.execute(`DELETE FROM messages WHERE agency_id = $1 AND id = $2`, [tx.agencyId, echo.id]);
    const replies = await tx.returning<MessageRef>(
      `UPDATE messages SET status = 'SENT', failure_code = NULL, failure_message = NULL, external_id = $3,
              platform_created_at = $4, updated_at = now()
        WHERE agency_id = $1 AND id = $2
        RETURNING ${MESSAGE_REF}`,
      [tx.agencyId, replyId, result.externalId, echo.platformCreatedAt ?? result.sentAt],
    );
    this.tellAfterCommit(tx, replies, 'SEND_STATUS');
    const [reply] = replies;
    // In the reply's own conversation the reply is the echo; elsewhere (a private reply's echo in the
    // author's DM conversation) the newest message left.
    await tx.execute(
      `UPDATE conversations c
          SET last_message_id = CASE WHEN c.id = $4 THEN $3::uuid ELSE (
                SELECT m.id FROM messages m WHERE m.agency_id = c.agency_id AND m.conversation_id = c.id
                 ORDER BY m.written_at DESC, m.id DESC LIMIT 1) END,
              updated_at = now()
        WHERE c.agency_id = $1 AND c.id = $2 AND c.last_message_id = $5`,
      [tx.agencyId, echo.conversationId, replyId, reply.conversationId, echo.id],
    );
    // Subscribers were told MESSAGE_CREATED for the echo: its conversation's messages changed.
    const agencyId = tx.agencyId;
    tx.afterCommit(() =>
      this.live.conversationChanged(agencyId, {
        brandId: echo.brandId,
        conversationId: echo.conversationId,
        change: 'MESSAGES',
      }),
    );
    return true;
  }
}

const MESSAGE_REF = `id, brand_id AS "brandId", conversation_id AS "conversationId"`;

interface MessageRef {
  id: string;
  brandId: string;
  conversationId: string;
}

interface EchoRow {
  id: string;
  brandId: string;
  conversationId: string;
  platformCreatedAt: Date | null;
}
