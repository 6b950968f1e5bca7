import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RequestContext, TenantDb, TenantTx } from '@caredesk/core';
import { OutboxService } from '@caredesk/channels';
import type { NormalizedMessage, Platform } from '@caredesk/channels';
import { ContactService } from '../contacts/contact.service';
import { decideThread, ThreadCandidates, ThreadDecision } from './threading.rules';

/** The channel a delivery arrived on, as threading needs it. */
export interface ThreadingTarget {
  channelId: string;
  brandId: string;
  platform: Platform;
  reopenWindowHours: number;
}

export type MessageOutcome =
  | { kind: 'inserted'; messageId: string; conversationId: string; decision: ThreadDecision['action'] }
  /** The channel already holds a message with this platform id: a redelivery, or the echo of our own reply. */
  | { kind: 'duplicate'; messageId: string };

/**
 * Places a normalized message into its conversation and stores it, exactly once per platform message
 * id (messages_external_key). The rules are in threading.rules.ts; this file loads their inputs and
 * applies the decision race-safely.
 */
@Injectable()
export class ThreadingService {
  constructor(
    private readonly db: TenantDb,
    private readonly contacts: ContactService,
    private readonly outbox: OutboxService,
  ) {}

  async applyMessage(
    ctx: RequestContext,
    target: ThreadingTarget,
    msg: NormalizedMessage,
  ): Promise<MessageOutcome> {
    return this.db.run(ctx, async (tx) => {
      // The platform's echo of a reply Caredesk sent (Meta returns our outbound id as metadata) may
      // arrive before the send worker recorded the platform's answer: it confirms that send, which
      // gives our reply its external id, so the check below sees the echo as a duplicate.
      const echoOf = msg.direction === 'OUTBOUND' ? msg.replyContext?.idempotencyKey : undefined;
      if (echoOf) await this.outbox.confirmFromEcho(tx.agencyId, echoOf, msg.externalId);

      // Checked before threading, so a redelivery never reopens or creates a conversation. The insert
      // below stays ON CONFLICT DO NOTHING for two workers racing past this check.
      const known = await this.findMessage(tx, target.channelId, msg.externalId);
      if (known) return { kind: 'duplicate', messageId: known };

      // Threading of one thread key is serialized (transaction-level advisory lock): two workers
      // deciding at once could otherwise both create a conversation for the key — e.g. the brand's
      // own comment (created RESOLVED) and the customer's (created OPEN), which the partial unique
      // index on unresolved keys cannot stop — or both reopen. Different keys never wait.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `${tx.agencyId}:${target.channelId}:${msg.threadKey}`,
      ]);
      const contact = await this.contacts.upsertIdentity(ctx, target.brandId, target.platform, msg.customer);
      const decision = decideThread(
        {
          kind: msg.kind,
          direction: msg.direction,
          occurredAt: msg.occurredAt,
          reopenWindowHours: target.reopenWindowHours,
        },
        await this.candidates(tx, target.channelId, msg.threadKey),
      );
      const conversationId = await this.place(tx, target, msg, contact.contactId, decision);

      const messageId = randomUUID();
      const inbound = msg.direction === 'INBOUND';
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, visibility,
            external_id, parent_external_id, author_identity_id, body, attachments, rating, status,
            platform_created_at, reply_context)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16::jsonb)
         ON CONFLICT (agency_id, channel_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          tx.agencyId,
          messageId,
          target.brandId,
          target.channelId,
          conversationId,
          msg.direction,
          msg.visibility,
          msg.externalId,
          msg.parentExternalId,
          // The brand's own messages have no customer author; the customer is their recipient.
          inbound ? contact.identityId : null,
          msg.body,
          JSON.stringify(msg.attachments ?? []),
          msg.rating,
          inbound ? 'RECEIVED' : 'SENT',
          msg.occurredAt,
          JSON.stringify(msg.replyContext ?? {}),
        ],
      );
      if (!inserted[0]) {
        return {
          kind: 'duplicate',
          messageId: (await this.findMessage(tx, target.channelId, msg.externalId))!,
        };
      }

      // GREATEST: deliveries arrive out of order, and an older message must not move the time back.
      await tx.execute(
        `UPDATE conversations
            SET last_message_at = GREATEST(last_message_at, $3),
                last_inbound_at = CASE WHEN $4 THEN GREATEST(COALESCE(last_inbound_at, $3), $3) ELSE last_inbound_at END,
                updated_at = now()
          WHERE agency_id = $1 AND id = $2`,
        [tx.agencyId, conversationId, msg.occurredAt, inbound],
      );
      return { kind: 'inserted', messageId, conversationId, decision: decision.action };
    });
  }

  private async findMessage(tx: TenantTx, channelId: string, externalId: string): Promise<string | null> {
    const [row] = await tx.query<{ id: string }>(
      `SELECT id FROM messages WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3`,
      [tx.agencyId, channelId, externalId],
    );
    return row?.id ?? null;
  }

  private async candidates(tx: TenantTx, channelId: string, threadKey: string): Promise<ThreadCandidates> {
    const rows = await tx.query<{ id: string; status: string; resolved_at: Date | null }>(
      `(SELECT id, status, resolved_at FROM conversations
         WHERE agency_id = $1 AND channel_id = $2 AND thread_key = $3 AND status <> 'RESOLVED' LIMIT 1)
       UNION ALL
       (SELECT id, status, resolved_at FROM conversations
         WHERE agency_id = $1 AND channel_id = $2 AND thread_key = $3 AND status = 'RESOLVED'
         ORDER BY resolved_at DESC NULLS LAST LIMIT 1)`,
      [tx.agencyId, channelId, threadKey],
    );
    const open = rows.find((r) => r.status !== 'RESOLVED');
    const resolved = rows.find((r) => r.status === 'RESOLVED');
    return {
      open: open ? { id: open.id } : null,
      latestResolved: resolved ? { id: resolved.id, resolvedAt: resolved.resolved_at ?? new Date(0) } : null,
    };
  }

  /** Applies the decision; returns the conversation the message goes into. */
  private async place(
    tx: TenantTx,
    target: ThreadingTarget,
    msg: NormalizedMessage,
    contactId: string,
    decision: ThreadDecision,
  ): Promise<string> {
    switch (decision.action) {
      case 'join':
        return decision.conversationId;
      case 'reopen':
        // If another worker opened a new conversation of this key meanwhile, this UPDATE violates
        // conversations_open_thread_key; the attempt fails and its retry joins that conversation.
        await tx.execute(
          `UPDATE conversations SET status = 'OPEN', resolved_at = NULL, updated_at = now()
            WHERE agency_id = $1 AND id = $2 AND status = 'RESOLVED'`,
          [tx.agencyId, decision.conversationId],
        );
        return decision.conversationId;
      case 'create':
        return this.create(tx, target, msg, contactId, decision.status);
    }
  }

  /**
   * A new conversation. Two workers creating the same thread at once both reach the INSERT; the
   * partial unique index conversations_open_thread_key lets one in, the other does nothing and joins it.
   */
  private async create(
    tx: TenantTx,
    target: ThreadingTarget,
    msg: NormalizedMessage,
    contactId: string,
    status: 'OPEN' | 'RESOLVED',
  ): Promise<string> {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key, subject,
          status, last_message_at, resolved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (agency_id, channel_id, thread_key) WHERE status <> 'RESOLVED' DO NOTHING
       RETURNING id`,
      [
        tx.agencyId,
        randomUUID(),
        target.brandId,
        target.channelId,
        contactId,
        msg.kind,
        msg.threadKey,
        msg.subject,
        status,
        msg.occurredAt,
        status === 'RESOLVED' ? msg.occurredAt : null,
      ],
    );
    if (row) return row.id;
    const [open] = await tx.query<{ id: string }>(
      `SELECT id FROM conversations
        WHERE agency_id = $1 AND channel_id = $2 AND thread_key = $3 AND status <> 'RESOLVED'`,
      [tx.agencyId, target.channelId, msg.threadKey],
    );
    return open.id;
  }
}
