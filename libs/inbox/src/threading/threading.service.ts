import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import { RequestContext, TenantDb, TenantTx } from '@caredesk/core';
import { AttachmentFetcher, OutboxService } from '@caredesk/channels';
import type { NormalizedMessage, Platform } from '@caredesk/channels';
import type { TextAnalysis } from '@caredesk/analysis';
import { ContactRef, ContactService, keyOfCustomer } from '../contacts/contact.service';
import { LiveEvent } from '../live/live-channels';
import { AttachmentCopyJobs } from '../attachment-copies/attachment-copy.jobs';
import { copyWanted } from '../attachment-copies/attachment-copy.service';
import { LiveEvents } from '../live/live-events';
import { mergeConversations, MergedConversation } from './conversation-merge';
import { lockChannelsForInsert } from './pending-changes';
import { joinRepliedThreads } from './replied-threads';
import { findStrandedReplies, replyLinkKeys, strandedMerges } from './stranded-replies';
import { planThreads, threadKeyOf } from './thread-plan';
import { ThreadCandidates, ThreadDecision } from './threading.rules';

/** The channel a delivery arrived on, as threading needs it. */
export interface ThreadingTarget {
  channelId: string;
  brandId: string;
  platform: Platform;
  reopenWindowHours: number;
}

/** Language and sentiment of an inbound message (libs/analysis), stored with it and its conversation. */
export type MessageAnalysis = TextAnalysis;

export interface PlacementItem {
  target: ThreadingTarget;
  msg: NormalizedMessage;
  analysis?: MessageAnalysis | null;
}

export type MessageOutcome =
  | { kind: 'inserted'; messageId: string; conversationId: string; decision: ThreadDecision['action'] }
  /** The channel already holds a message with this platform id: a redelivery, or the echo of our own reply. */
  | { kind: 'duplicate'; messageId: string };

interface Fresh {
  index: number;
  item: PlacementItem;
  messageId: string;
  conversationId: string;
  /** Null for the brand's own message that names no customer (its own comment). */
  contact: ContactRef | null;
}

/**
 * Places normalized messages into their conversations and stores them, exactly once per platform
 * message id (messages_external_key). The rules are in threading.rules.ts, applied to a batch by
 * thread-plan.ts; this file loads their inputs and applies the plan race-safely.
 *
 * Set-based: a batch of any size is about nine statements (known messages, thread-key locks, channel
 * pending-change locks, contacts, thread candidates, new conversations, reopens, messages with their
 * pending changes, conversation updates), which is what lets the ingest worker keep up with webhook
 * intake; one message is the same path with a batch of one. A batch holding mentions or mails takes one
 * more, the look-up of replies stored before the message they answer (stranded-replies.ts), and folds
 * their conversations in when there are any; and one before the locks when one of them names what it
 * answers: the conversations of those messages (replied-threads.ts).
 */
@Injectable()
export class ThreadingService {
  constructor(
    private readonly db: TenantDb,
    private readonly contacts: ContactService,
    private readonly outbox: OutboxService,
    private readonly live: LiveEvents,
    private readonly fetcher: AttachmentFetcher,
    private readonly copies: AttachmentCopyJobs,
    private readonly audit: AuditService,
  ) {}

  /** One message in its own transaction (joins the caller's, if any). */
  async applyMessage(
    ctx: RequestContext,
    target: ThreadingTarget,
    msg: NormalizedMessage,
    analysis?: MessageAnalysis | null,
  ): Promise<MessageOutcome> {
    return this.db.run(ctx, async (tx) => {
      // The platform's echo of a reply Caredesk sent (Meta returns our outbound id as metadata) may
      // arrive before the send worker recorded the platform's answer: it confirms that send, which
      // gives our reply its external id, so the message is then seen as a duplicate.
      const echoOf = msg.direction === 'OUTBOUND' ? msg.replyContext?.idempotencyKey : undefined;
      if (echoOf) await this.outbox.confirmFromEcho(tx.agencyId, echoOf, msg.externalId);
      const [outcome] = await this.applyMessages(tx, [{ target, msg, analysis }]);
      return outcome;
    });
  }

  /**
   * Many messages of one agency in the caller's transaction; outcomes in the order given. Echoes of
   * Caredesk's own sends must go through applyMessage (they confirm the send first).
   */
  async applyMessages(tx: TenantTx, items: PlacementItem[]): Promise<MessageOutcome[]> {
    const outcomes: MessageOutcome[] = new Array(items.length);

    // Redeliveries are found before threading, so they never reopen or create a conversation. A
    // message named twice in the batch is stored once; the second is its duplicate.
    const known = await this.knownMessages(tx, items);
    const firstOfId = new Map<string, number>();
    const todo: number[] = [];
    items.forEach((item, i) => {
      const key = `${item.target.channelId}\u0000${item.msg.externalId}`;
      const id = known.get(key);
      if (id) outcomes[i] = { kind: 'duplicate', messageId: id };
      else if (firstOfId.has(key)) outcomes[i] = { kind: 'duplicate', messageId: '' };
      else {
        firstOfId.set(key, i);
        todo.push(i);
      }
    });
    if (todo.length === 0) return outcomes;
    const fresh = todo.map((i) => items[i]);
    const unanswered = await joinRepliedThreads(tx, fresh);

    // Threading of one thread key is serialized (transaction-level advisory locks, taken in one
    // order): two workers deciding at once could otherwise both create a conversation for the key —
    // e.g. the brand's own comment (created RESOLVED) and the customer's (created OPEN), which the
    // partial unique index on unresolved keys cannot stop — or both reopen. Different keys never wait.
    // A reply and the message it answers meet on a lock of their own, in the same call (see
    // stranded-replies.ts), and look for each other after it.
    await this.lockThreadKeys(tx, [
      ...fresh.map((f) => `${tx.agencyId}:${f.target.channelId}:${f.msg.threadKey}`),
      ...replyLinkKeys(tx.agencyId, fresh, unanswered),
    ]);
    const stranded = await findStrandedReplies(tx, fresh, unanswered);
    // Before the INSERT reads pending_message_changes: see pending-changes.ts.
    await lockChannelsForInsert(
      tx,
      fresh.map((f) => f.target.channelId),
    );
    // Only customers become contacts: the brand's own comment names none (NormalizedMessage.customer).
    const customers = fresh.map((f) =>
      f.msg.customer
        ? { brandId: f.target.brandId, platform: f.target.platform, customer: f.msg.customer }
        : null,
    );
    const contacts = await this.contacts.resolveIdentities(
      tx,
      customers.filter((c) => c !== null),
    );
    const plan = planThreads(
      fresh.map((f) => ({
        channelId: f.target.channelId,
        reopenWindowHours: f.target.reopenWindowHours,
        msg: f.msg,
      })),
      await this.candidates(tx, fresh),
    );

    const placed: Fresh[] = fresh.map((item, k) => ({
      index: todo[k],
      item,
      messageId: randomUUID(),
      conversationId: plan.placed[k].conversationId,
      contact: customers[k] ? contacts.get(keyOfCustomer(customers[k]))! : null,
    }));
    await this.createConversations(tx, plan.creates, placed);
    if (plan.reopens.length > 0) {
      // If another transaction opened a new conversation of this key meanwhile (a reply's linked DM,
      // which does not take the thread lock), this UPDATE violates conversations_open_thread_key; the
      // attempt fails and its retry joins that conversation.
      await tx.execute(
        `UPDATE conversations SET status = 'OPEN', resolved_at = NULL, updated_at = now()
          WHERE agency_id = $1 AND id = ANY($2::uuid[]) AND status = 'RESOLVED'`,
        [tx.agencyId, plan.reopens],
      );
    }
    // Platform files to copy before their URLs expire: flagged on the row (attachments_to_copy, which
    // the sweeper reads should the job be lost) and queued after the commit (AttachmentCopyService).
    const toCopy = new Set(placed.filter((p) => this.wantsCopies(p)).map((p) => p.messageId));
    const stored = await this.insertMessages(tx, placed, toCopy);
    const inserted = placed.filter((p) => stored.has(p.messageId));
    await this.touchConversations(tx, inserted);
    const created = new Set(plan.creates.map((c) => c.conversationId));
    const merged = await mergeConversations(
      tx,
      strandedMerges(
        stranded,
        (k) => (stored.has(placed[k].messageId) ? placed[k].conversationId : null),
        (id) => created.has(id),
      ),
    );
    await this.auditMerges(tx, merged);
    const mergedInto = new Map(merged.map((m) => [m.childId, m.targetId]));
    for (const p of placed) p.conversationId = mergedInto.get(p.conversationId) ?? p.conversationId;
    this.publishAfterCommit(tx, inserted, created, merged);
    const copies = inserted.filter((p) => toCopy.has(p.messageId)).map((p) => p.messageId);
    if (copies.length > 0) tx.afterCommit(() => this.copies.enqueue(tx.agencyId, copies));

    for (const [k, p] of placed.entries()) {
      outcomes[p.index] = stored.has(p.messageId)
        ? {
            kind: 'inserted',
            messageId: p.messageId,
            conversationId: p.conversationId,
            decision: plan.placed[k].action,
          }
        : { kind: 'duplicate', messageId: '' };
    }
    // Duplicates within the batch (or lost to a concurrent insert) point at the stored message.
    const unresolved = outcomes
      .map((o, i) => ({ o, i }))
      .filter(({ o }) => o.kind === 'duplicate' && o.messageId === '');
    if (unresolved.length > 0) {
      const ids = await this.knownMessages(
        tx,
        unresolved.map(({ i }) => items[i]),
      );
      for (const { i } of unresolved) {
        outcomes[i] = {
          kind: 'duplicate',
          messageId: ids.get(`${items[i].target.channelId}\u0000${items[i].msg.externalId}`) ?? '',
        };
      }
    }
    return outcomes;
  }

  /**
   * Tells live subscribers (dashboards) once the messages are committed: never about a rolled-back row.
   * A conversation that took another in changed more than its last message (MESSAGES); the one folded
   * away is gone (MERGED) — unless this batch created it, and then nobody heard of it.
   */
  private publishAfterCommit(
    tx: TenantTx,
    inserted: Fresh[],
    created: Set<string>,
    merged: MergedConversation[],
  ): void {
    if (inserted.length === 0) return;
    tx.afterCommit(() => {
      const events: LiveEvent[] = [];
      const conversations = new Map<string, string>();
      const tookIn = new Set(merged.map((m) => m.targetId));
      for (const p of inserted) {
        const e = { brandId: p.item.target.brandId, conversationId: p.conversationId };
        events.push({ kind: 'MESSAGE_CREATED', ...e, messageId: p.messageId });
        conversations.set(p.conversationId, e.brandId);
      }
      for (const [conversationId, brandId] of conversations) {
        events.push({
          kind: 'CONVERSATION_CHANGED',
          brandId,
          conversationId,
          change: created.has(conversationId)
            ? 'CREATED'
            : tookIn.has(conversationId)
              ? 'MESSAGES'
              : 'LAST_MESSAGE',
        });
      }
      for (const m of merged.filter((x) => !created.has(x.childId))) {
        events.push({
          kind: 'CONVERSATION_CHANGED',
          brandId: m.brandId,
          conversationId: m.childId,
          change: 'MERGED',
        });
      }
      void this.live.many(tx.agencyId, events);
    });
  }

  private wantsCopies(p: Fresh): boolean {
    const files = p.item.msg.attachments ?? [];
    return files.length > 0 && files.some((a) => copyWanted(this.fetcher, a));
  }

  /**
   * Each fold in the audit trail, under the folded conversation's id: earlier entries about it (an
   * assignment, a note) keep that id, and this one says where it went (`changes.mergedInto`).
   */
  private async auditMerges(tx: TenantTx, merged: MergedConversation[]): Promise<void> {
    if (merged.length === 0) return;
    const ctx = RequestContext.system(tx.agencyId, 'ingest: a reply delivered before what it answers');
    for (const m of merged) {
      await this.audit.record(ctx, {
        action: 'conversation.merged',
        entityType: 'conversation',
        entityId: m.childId,
        brandId: m.brandId,
        changes: { mergedInto: m.targetId },
      });
    }
  }

  /** channel \0 external id → message id, for the messages already stored. */
  private async knownMessages(tx: TenantTx, items: PlacementItem[]): Promise<Map<string, string>> {
    const rows = await tx.query<{ channel_id: string; external_id: string; id: string }>(
      `SELECT m.channel_id, m.external_id, m.id
         FROM unnest($2::uuid[], $3::text[]) AS k(channel_id, external_id)
         JOIN messages m ON m.agency_id = $1 AND m.channel_id = k.channel_id AND m.external_id = k.external_id
        -- Implied by the join, but stated so the planner can use the partial index messages_external_key.
        WHERE m.external_id IS NOT NULL`,
      [tx.agencyId, items.map((i) => i.target.channelId), items.map((i) => i.msg.externalId)],
    );
    return new Map(rows.map((r) => [`${r.channel_id}\u0000${r.external_id}`, r.id]));
  }

  /** Locks in hash order, so two batches sharing keys never wait on each other in a cycle. */
  private async lockThreadKeys(tx: TenantTx, keys: string[]): Promise<void> {
    await tx.query(
      `SELECT pg_advisory_xact_lock(h)
         FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS locks`,
      [keys],
    );
  }

  /** Per thread key: its unresolved conversation and its most recently resolved one. */
  private async candidates(tx: TenantTx, items: PlacementItem[]): Promise<Map<string, ThreadCandidates>> {
    const rows = await tx.query<{
      channel_id: string;
      thread_key: string;
      id: string;
      status: string;
      resolved_at: Date | null;
    }>(
      `SELECT DISTINCT ON (c.channel_id, c.thread_key, c.status = 'RESOLVED')
              c.channel_id, c.thread_key, c.id, c.status, c.resolved_at
         FROM (SELECT DISTINCT * FROM unnest($2::uuid[], $3::text[])) AS k(channel_id, thread_key)
         JOIN conversations c ON c.agency_id = $1 AND c.channel_id = k.channel_id AND c.thread_key = k.thread_key
        ORDER BY c.channel_id, c.thread_key, c.status = 'RESOLVED', c.resolved_at DESC NULLS LAST`,
      [tx.agencyId, items.map((i) => i.target.channelId), items.map((i) => i.msg.threadKey)],
    );
    const found = new Map<string, ThreadCandidates>();
    for (const r of rows) {
      const key = threadKeyOf(r.channel_id, r.thread_key);
      const c = found.get(key) ?? { open: null, latestResolved: null };
      if (r.status === 'RESOLVED') c.latestResolved = { id: r.id, resolvedAt: r.resolved_at ?? new Date(0) };
      else c.open = { id: r.id };
      found.set(key, c);
    }
    return found;
  }

  /**
   * The plan's new conversations. Under the thread locks no other ingest creates one of these keys,
   * but a reply's linked DM conversation may have: such a create does nothing (the partial unique
   * index) and its messages join the conversation that is there.
   */
  private async createConversations(
    tx: TenantTx,
    creates: { conversationId: string; item: number; status: 'OPEN' | 'RESOLVED' }[],
    placed: Fresh[],
  ): Promise<void> {
    if (creates.length === 0) return;
    const rows = creates.map((c) => ({ ...c, p: placed[c.item] }));
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key, subject,
          status, last_message_at, resolved_at)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                                $9::text[], $10::timestamptz[], $11::timestamptz[])
       ON CONFLICT (agency_id, channel_id, thread_key) WHERE status <> 'RESOLVED' DO NOTHING
       RETURNING id`,
      [
        tx.agencyId,
        rows.map((r) => r.conversationId),
        rows.map((r) => r.p.item.target.brandId),
        rows.map((r) => r.p.item.target.channelId),
        // A conversation the brand starts has no contact until a customer writes (touchConversations).
        rows.map((r) => r.p.contact?.contactId ?? null),
        rows.map((r) => r.p.item.msg.kind),
        rows.map((r) => r.p.item.msg.threadKey),
        rows.map((r) => r.p.item.msg.subject),
        rows.map((r) => r.status),
        rows.map((r) => r.p.item.msg.occurredAt),
        rows.map((r) => (r.status === 'RESOLVED' ? r.p.item.msg.occurredAt : null)),
      ],
    );
    if (inserted.length === rows.length) return;

    const made = new Set(inserted.map((r) => r.id));
    for (const r of rows.filter((x) => !made.has(x.conversationId))) {
      const [open] = await tx.query<{ id: string }>(
        `SELECT id FROM conversations
          WHERE agency_id = $1 AND channel_id = $2 AND thread_key = $3 AND status <> 'RESOLVED'`,
        [tx.agencyId, r.p.item.target.channelId, r.p.item.msg.threadKey],
      );
      for (const p of placed) if (p.conversationId === r.conversationId) p.conversationId = open.id;
    }
  }

  /**
   * Returns the ids of the messages stored (a concurrent insert of the same platform id wins).
   *
   * Changes that arrived before their message (pending_message_changes) are applied in the same
   * statement, and their rows deleted: the first deletion marks it deleted; the newest edit sets its
   * text (and a review's rating, when the edit has one) unless the message's own text is newer
   * (platform_created_at: a late delivery may carry text already edited). An edit is applied to a deleted message too, as it would be had the message come
   * first, so the result does not depend on the order of arrival.
   */
  private async insertMessages(tx: TenantTx, placed: Fresh[], toCopy: Set<string>): Promise<Set<string>> {
    const rows = await tx.query<{ id: string }>(
      `WITH v AS (
         SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                              $9::text[], $10::uuid[], $11::text[], $12::text[], $13::smallint[], $14::text[],
                              $15::timestamptz[], $16::text[], $17::text[], $18::real[], $19::text[], $20::boolean[],
                              $21::text[])
           AS v(id, brand_id, channel_id, conversation_id, direction, visibility, external_id, parent_external_id,
                author_identity_id, body, attachments, rating, status, platform_created_at, reply_context,
                language, sentiment_score, sentiment_label, attachments_to_copy, ancestors)
       ), stored AS (
         INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, visibility,
            external_id, parent_external_id, author_identity_id, body, attachments, rating, status,
            platform_created_at, reply_context, language, sentiment_score, sentiment_label, attachments_to_copy,
            ancestor_external_ids, edited_at, deleted_at)
         SELECT $1, v.id, v.brand_id, v.channel_id, v.conversation_id, v.direction, v.visibility, v.external_id,
                v.parent_external_id, v.author_identity_id,
                CASE WHEN pc.edited_at >= v.platform_created_at THEN pc.edit->>'body' ELSE v.body END,
                v.attachments::jsonb,
                COALESCE(CASE WHEN pc.edited_at >= v.platform_created_at THEN (pc.edit->>'rating')::smallint END, v.rating),
                v.status, v.platform_created_at, v.reply_context::jsonb,
                v.language, v.sentiment_score, v.sentiment_label, v.attachments_to_copy,
                CASE WHEN v.ancestors IS NOT NULL THEN ARRAY(SELECT jsonb_array_elements_text(v.ancestors::jsonb)) END,
                CASE WHEN pc.edited_at >= v.platform_created_at THEN pc.edited_at END,
                pc.deleted_at
           FROM v
           LEFT JOIN pending_message_changes pc
             ON pc.agency_id = $1 AND pc.channel_id = v.channel_id AND pc.external_id = v.external_id
         ON CONFLICT (agency_id, channel_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
         RETURNING id, channel_id, external_id
       ), applied AS (
         DELETE FROM pending_message_changes pc USING stored s
          WHERE pc.agency_id = $1 AND pc.channel_id = s.channel_id AND pc.external_id = s.external_id
       )
       SELECT id FROM stored`,
      [
        tx.agencyId,
        placed.map((p) => p.messageId),
        placed.map((p) => p.item.target.brandId),
        placed.map((p) => p.item.target.channelId),
        placed.map((p) => p.conversationId),
        placed.map((p) => p.item.msg.direction),
        placed.map((p) => p.item.msg.visibility),
        placed.map((p) => p.item.msg.externalId),
        placed.map((p) => p.item.msg.parentExternalId),
        // The brand's own messages have no customer author; the customer is their recipient.
        placed.map((p) => (p.item.msg.direction === 'INBOUND' ? (p.contact?.identityId ?? null) : null)),
        placed.map((p) => p.item.msg.body),
        placed.map((p) => JSON.stringify(p.item.msg.attachments ?? [])),
        placed.map((p) => p.item.msg.rating),
        placed.map((p) => (p.item.msg.direction === 'INBOUND' ? 'RECEIVED' : 'SENT')),
        placed.map((p) => p.item.msg.occurredAt),
        placed.map((p) => JSON.stringify(p.item.msg.replyContext ?? {})),
        placed.map((p) => p.item.analysis?.language ?? null),
        placed.map((p) => p.item.analysis?.sentiment?.score ?? null),
        placed.map((p) => p.item.analysis?.sentiment?.label ?? null),
        placed.map((p) => toCopy.has(p.messageId)),
        // A JSON array per row (unnest cannot take an array of arrays); NULL for a message naming none.
        placed.map((p) =>
          p.item.msg.ancestorExternalIds?.length ? JSON.stringify(p.item.msg.ancestorExternalIds) : null,
        ),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Each conversation's summary after its new messages, in one statement:
   * - last_message_at / last_message_id: the newest message (GREATEST: deliveries arrive out of
   *   order, and an older message must not move the time back);
   * - last_inbound_at, language and sentiment: the newest customer message's;
   * - awaiting_reply_since: the first customer message not yet answered — a brand message newer than
   *   the wait answers it (then the first customer message after that one waits, if any);
   *   A resolved conversation waits for nothing; one marked "no reply needed" waits only once the
   *   customer writes after the mark, which also clears the mark (a follow-up question is real work);
   * - a customer writing into a PENDING (waiting on the customer) or SNOOZED conversation reopens it;
   * - a conversation without a contact (the brand started it) gets the first customer's.
   */
  private async touchConversations(tx: TenantTx, placed: Fresh[]): Promise<void> {
    if (placed.length === 0) return;
    const byConversation = new Map<string, Fresh[]>();
    for (const p of placed)
      byConversation.set(p.conversationId, [...(byConversation.get(p.conversationId) ?? []), p]);
    const rows = [...byConversation.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, ps]) => summary(id, ps));
    await tx.execute(
      `UPDATE conversations c
          SET contact_id = COALESCE(c.contact_id, v.contact_id),
              last_message_id = CASE WHEN v.last_at >= c.last_message_at OR c.last_message_id IS NULL
                                     THEN v.last_id ELSE c.last_message_id END,
              last_message_at = GREATEST(c.last_message_at, v.last_at),
              last_inbound_at = CASE WHEN v.in_at IS NULL THEN c.last_inbound_at
                                     ELSE GREATEST(COALESCE(c.last_inbound_at, v.in_at), v.in_at) END,
              language = CASE WHEN v.in_at >= COALESCE(c.last_inbound_at, v.in_at) AND v.language IS NOT NULL
                              THEN v.language ELSE c.language END,
              sentiment_score = CASE WHEN v.in_at >= COALESCE(c.last_inbound_at, v.in_at) AND v.sentiment_label IS NOT NULL
                                     THEN v.sentiment_score ELSE c.sentiment_score END,
              sentiment_label = CASE WHEN v.in_at >= COALESCE(c.last_inbound_at, v.in_at) AND v.sentiment_label IS NOT NULL
                                     THEN v.sentiment_label ELSE c.sentiment_label END,
              awaiting_reply_since = CASE
                WHEN c.status = 'RESOLVED' THEN NULL
                WHEN c.no_reply_needed_at IS NOT NULL AND (v.in_at IS NULL OR v.in_at <= c.no_reply_needed_at)
                  THEN c.awaiting_reply_since
                WHEN v.out_at IS NOT NULL AND v.out_at >= COALESCE(c.awaiting_reply_since, '-infinity') THEN v.in_after_out
                ELSE LEAST(COALESCE(c.awaiting_reply_since, v.first_in), COALESCE(v.first_in, c.awaiting_reply_since)) END,
              no_reply_needed_reason = CASE WHEN v.in_at > c.no_reply_needed_at THEN NULL ELSE c.no_reply_needed_reason END,
              no_reply_needed_at = CASE WHEN v.in_at > c.no_reply_needed_at THEN NULL ELSE c.no_reply_needed_at END,
              status = CASE WHEN v.in_at IS NOT NULL AND c.status IN ('PENDING','SNOOZED') THEN 'OPEN' ELSE c.status END,
              snoozed_until = CASE WHEN v.in_at IS NOT NULL AND c.status IN ('PENDING','SNOOZED') THEN NULL
                                   ELSE c.snoozed_until END,
              updated_at = now()
         FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
                     $7::timestamptz[], $8::timestamptz[], $9::text[], $10::real[], $11::text[], $12::uuid[])
           AS v(id, last_id, last_at, in_at, first_in, out_at, in_after_out, language, sentiment_score, sentiment_label,
                contact_id)
        WHERE c.agency_id = $1 AND c.id = v.id`,
      [
        tx.agencyId,
        rows.map((r) => r.id),
        rows.map((r) => r.lastId),
        rows.map((r) => r.lastAt),
        rows.map((r) => r.inAt),
        rows.map((r) => r.firstIn),
        rows.map((r) => r.outAt),
        rows.map((r) => r.inAfterOut),
        rows.map((r) => r.language),
        rows.map((r) => r.sentimentScore),
        rows.map((r) => r.sentimentLabel),
        rows.map((r) => r.contactId),
      ],
    );
  }
}

/** What one conversation's new messages change in its summary (see touchConversations). */
function summary(conversationId: string, ps: Fresh[]) {
  const byTime = [...ps].sort((a, b) => a.item.msg.occurredAt.getTime() - b.item.msg.occurredAt.getTime());
  const inbound = byTime.filter((p) => p.item.msg.direction === 'INBOUND');
  const outbound = byTime.filter((p) => p.item.msg.direction === 'OUTBOUND');
  const last = byTime[byTime.length - 1];
  const lastIn = inbound[inbound.length - 1];
  const lastOut = outbound[outbound.length - 1];
  const inAfterOut = lastOut
    ? inbound.find((p) => p.item.msg.occurredAt > lastOut.item.msg.occurredAt)
    : undefined;
  return {
    id: conversationId,
    lastId: last.messageId,
    lastAt: last.item.msg.occurredAt,
    inAt: lastIn?.item.msg.occurredAt ?? null,
    firstIn: inbound[0]?.item.msg.occurredAt ?? null,
    outAt: lastOut?.item.msg.occurredAt ?? null,
    inAfterOut: inAfterOut?.item.msg.occurredAt ?? null,
    language: lastIn?.item.analysis?.language ?? null,
    sentimentScore: lastIn?.item.analysis?.sentiment?.score ?? null,
    sentimentLabel: lastIn?.item.analysis?.sentiment?.label ?? null,
    // The earliest customer's, else the customer a brand message names (an echo to them).
    contactId: (inbound.find((p) => p.contact) ?? byTime.find((p) => p.contact))?.contact?.contactId ?? null,
  };
}
