import { Injectable } from '@nestjs/common';
import { TenantTx } from '@caredesk/core';
import { OutboundMessage, OutboundResult, OutboundResultHandler } from '@caredesk/channels';

/**
 * Inbox's side of a finished send (registered with OutboundResultRegistry): a reply's message moves
 * to SENT with the platform's id or FAILED with the coded reason; a moderation, once done on the
 * platform, is recorded on the moderated message.
 */
@Injectable()
export class MessageStatusHandler implements OutboundResultHandler {
  readonly key = 'inbox.messages';

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
        await tx.execute(
          `UPDATE messages SET ${column} = $3, updated_at = now() WHERE agency_id = $1 AND id = $2`,
          [...params, value],
        );
        return;
      }
    }
    if (result.status === 'FAILED') {
      await tx.execute(
        `UPDATE messages SET status = 'FAILED', failure_code = $3, failure_message = $4, updated_at = now()
          WHERE agency_id = $1 AND id = $2`,
        [...params, result.failureCode, result.failureMessage],
      );
      return;
    }
    // If the platform's echo of this reply was ingested first it holds the external id already
    // (unique per channel); the reply is still SENT, and the echo row carries the id.
    await tx.execute(
      `UPDATE messages m SET status = 'SENT', failure_code = NULL, failure_message = NULL,
              platform_created_at = $4, updated_at = now(),
              external_id = CASE WHEN EXISTS (
                SELECT 1 FROM messages e WHERE e.agency_id = m.agency_id AND e.channel_id = m.channel_id
                   AND e.external_id = $3 AND e.id <> m.id) THEN m.external_id ELSE $3 END
        WHERE m.agency_id = $1 AND m.id = $2`,
      [...params, result.externalId, result.sentAt],
    );
  }
}
