import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AppError,
  isUuid,
  RequestContext,
  Role,
  TenantDb,
  TenantTx,
  USER_ACTION_RETRIES,
} from '@caredesk/core';
import { ChannelService, OutboxService } from '@caredesk/channels';
import { Visibility } from '../dto/message.dto';
import { Conversation } from '../entities/conversation.entity';
import { Message } from '../entities/message.entity';
import { ReplyToConversationInput } from './dto/reply-to-conversation.input';
import { ReplyChecks } from './reply-checks';
import { LiveEvents } from '../live/live-events';
import { replyRoute } from './reply-routing';

interface AnsweredMessage {
  externalId: string;
  replyContext: Record<string, string>;
  parentExternalId: string | null;
  authorExternalId: string | null;
  writtenAt: Date;
}

/**
 * replyToConversation: the reply is stored as an OUTBOUND message (QUEUED) and an outbound_messages
 * row in one transaction; the send worker delivers it and moves the message to SENT or FAILED.
 */
@Injectable()
export class ReplyService {
  constructor(
    private readonly db: TenantDb,
    private readonly outbox: OutboxService,
    private readonly checks: ReplyChecks,
    private readonly live: LiveEvents,
    private readonly channels: ChannelService,
  ) {}

  async reply(ctx: RequestContext, input: ReplyToConversationInput): Promise<Message> {
    ctx.requireRole(Role.AGENT);
    const body = input.body ?? '';
    if (body.trim() === '') throw AppError.badInput('Write something to send', 'body');
    const visibility = input.visibility ?? Visibility.PUBLIC;

    return this.db.run(
      ctx,
      async (tx) => {
        const conversation = await this.visibleConversation(ctx, tx, input.conversationId);
        // Everything that can refuse the reply runs before the first write (nothing half-written).
        const channel = await this.channels.getConnected(ctx, conversation.channelId, 'conversationId');
        const route = replyRoute(channel.platform, conversation.kind, visibility);
        const messageId = randomUUID();
        const { styleGuideVersionId } = await this.checks.run(ctx, tx, {
          conversation,
          body,
          language: input.language ?? null,
          messageId,
          override: input.styleGuideOverride ?? null,
        });

        const answered = await this.lastInbound(tx, conversation.id);
        // A DM needs only its recipient (the thread key names them); a comment, mention or review
        // reply needs the customer's message to answer.
        const recipient = answered?.authorExternalId ?? dmRecipient(conversation.threadKey);
        if (!answered && route.action !== 'DIRECT_MESSAGE' && route.action !== 'EMAIL') {
          throw AppError.badInput(
            'There is no customer message to answer in this conversation',
            'conversationId',
          );
        }
        if (route.linksDirectConversation) {
          if (!recipient) throw AppError.badInput('The author of this comment is unknown', 'visibility');
          await this.linkDirectConversation(tx, conversation, recipient);
        }

        const message = Object.assign(new Message(), {
          agencyId: ctx.agencyId,
          id: messageId,
          brandId: conversation.brandId,
          channelId: conversation.channelId,
          conversationId: conversation.id,
          direction: 'OUTBOUND',
          visibility: route.visibility as Message['visibility'],
          externalId: null,
          parentExternalId: answered?.externalId ?? null,
          authorIdentityId: null,
          authorUserId: ctx.userId,
          body,
          attachments: [],
          rating: null,
          status: 'QUEUED',
          styleGuideVersionId,
        } satisfies Partial<Message>);
        await tx.repo(Message).insert(message);
        tx.afterCommit(() => this.publishReply(ctx.agencyId, message));
        // An answer ends the customer's wait (awaiting_reply_since, the LONGEST_WAITING sort).
        await tx.execute(
          `UPDATE conversations SET last_message_at = now(), last_message_id = $3, awaiting_reply_since = NULL,
                updated_at = now()
          WHERE agency_id = $1 AND id = $2`,
          [ctx.agencyId, conversation.id, message.id],
        );

        // The connector's own reply context of the answered message first (comment ids, media id,
        // Message-ID…), then what Caredesk knows of the thread.
        const target: Record<string, string> = {
          ...(answered?.replyContext ?? {}),
          threadKey: conversation.threadKey,
        };
        if (conversation.subject) target.subject = conversation.subject;
        if (answered) target.externalId = answered.externalId;
        if (answered?.parentExternalId) target.parentExternalId = answered.parentExternalId;
        if (recipient) target.recipientId = recipient;
        // Messaging windows run from the customer's last message (Meta: 24 h, 7 days for a human agent),
        // judged when the reply is sent, which may be later (a channel waiting for a reconnect).
        if (answered) target.customerLastMessageAt = new Date(answered.writtenAt).toISOString();
        await this.outbox.enqueue(ctx, {
          brandId: conversation.brandId,
          channelId: conversation.channelId,
          messageId: message.id,
          action: route.action,
          payload: { body, target },
        });
        return (await tx.repo(Message).findOneBy({ id: message.id }))!;
      },
      USER_ACTION_RETRIES,
    );
  }

  /** Live subscribers see the reply and the conversation's new last message (after commit only). */
  private async publishReply(agencyId: string, m: Message): Promise<void> {
    const ids = { brandId: m.brandId, conversationId: m.conversationId };
    await this.live.messageCreated(agencyId, { ...ids, messageId: m.id });
    await this.live.conversationChanged(agencyId, { ...ids, change: 'LAST_MESSAGE' });
  }

  /** NOT_FOUND for a missing id, another agency's (RLS hides it) or one of a brand out of scope. */
  private async visibleConversation(ctx: RequestContext, tx: TenantTx, id: string): Promise<Conversation> {
    const conversation = isUuid(id) ? await tx.repo(Conversation).findOneBy({ id }) : null;
    if (!conversation || !ctx.canSeeBrand(conversation.brandId)) throw AppError.notFound('Conversation');
    return conversation;
  }

  private async lastInbound(tx: TenantTx, conversationId: string): Promise<AnsweredMessage | null> {
    const [row] = await tx.query<AnsweredMessage>(
      `SELECT m.external_id AS "externalId", m.parent_external_id AS "parentExternalId",
              m.reply_context AS "replyContext",
              ci.external_user_id AS "authorExternalId", m.written_at AS "writtenAt"
         FROM messages m
         LEFT JOIN contact_identities ci ON ci.agency_id = m.agency_id AND ci.id = m.author_identity_id
        WHERE m.agency_id = $1 AND m.conversation_id = $2 AND m.direction = 'INBOUND'
          AND m.external_id IS NOT NULL AND m.deleted_at IS NULL
        ORDER BY m.written_at DESC, m.id DESC LIMIT 1`,
      [tx.agencyId, conversationId],
    );
    return row ?? null;
  }

  /**
   * The author's open DM conversation on this channel (created if none), linked both ways with the
   * public one. The insert races the ingest worker threading that author's next DM; the partial
   * unique index on open thread keys decides, and the loser reads the winner's row.
   */
  private async linkDirectConversation(
    tx: TenantTx,
    pub: Conversation,
    authorExternalId: string,
  ): Promise<void> {
    const threadKey = `dm:${authorExternalId}`;
    await tx.execute(
      `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key, linked_conversation_id)
       VALUES ($1, $2, $3, $4, $5, 'DM', $6, $7)
       ON CONFLICT (agency_id, channel_id, thread_key) WHERE status <> 'RESOLVED' DO NOTHING`,
      [tx.agencyId, randomUUID(), pub.brandId, pub.channelId, pub.contactId, threadKey, pub.id],
    );
    const [dm] = await tx.query<{ id: string }>(
      `SELECT id FROM conversations WHERE agency_id = $1 AND channel_id = $2 AND thread_key = $3 AND status <> 'RESOLVED'`,
      [tx.agencyId, pub.channelId, threadKey],
    );
    await tx.execute(
      `UPDATE conversations SET linked_conversation_id = CASE WHEN id = $2 THEN $3::uuid ELSE $2::uuid END,
              updated_at = now()
        WHERE agency_id = $1 AND id IN ($2, $3)`,
      [tx.agencyId, pub.id, dm.id],
    );
  }
}

/** `dm:<customer id>` (NormalizedMessage.threadKey) → the customer id. */
function dmRecipient(threadKey: string): string | null {
  return threadKey.startsWith('dm:') ? threadKey.slice(3) : null;
}
