import type { TenantTx } from '@caredesk/core';
import { FIRST_UNANSWERED_SQL } from '../conversations/awaiting-reply.sql';
import { MergeLink, MergeRow, planMerges } from './conversation-merge.rules';

/** A conversation folded away, and the one that holds its messages now. */
export interface MergedConversation {
  childId: string;
  targetId: string;
  brandId: string;
}

/**
 * Folds conversations into others (the rules: conversation-merge.rules.ts), in the caller's
 * transaction. Every row that names a conversation by id follows it — messages (what hangs off a
 * message names the message, whose id stays), internal notes, tags (the union) and conversations
 * linked to it (a private reply's DM) — and then the folded row is deleted: no redirect is kept, as no
 * stored row is left naming it and live subscribers are told (change MERGED).
 *
 * Rows are locked FOR UPDATE, in id order, before they are read: an agent's action on either waits
 * (ConversationActionsService locks the same way) and then finds the folded one gone (NOT_FOUND), and a
 * message inserted into the folded one by a transaction that has not committed is either committed
 * before the lock is granted (and moves with the rest) or fails its foreign key after the commit and
 * is retried into the kept conversation. Seven statements; only ever run when a merge is due.
 */
export async function mergeConversations(tx: TenantTx, links: MergeLink[]): Promise<MergedConversation[]> {
  if (links.length === 0) return [];
  const ids = [...new Set(links.flatMap((l) => [l.childId, l.targetId]))];
  const rows = await tx.query<MergeRow>(
    `SELECT id, brand_id AS "brandId", channel_id AS "channelId", kind, thread_key AS "threadKey",
            contact_id AS "contactId", subject, status, priority, assignee_user_id AS "assigneeUserId",
            team_id AS "teamId", linked_conversation_id AS "linkedConversationId",
            last_message_id AS "lastMessageId", last_message_at AS "lastMessageAt",
            last_inbound_at AS "lastInboundAt", resolved_at AS "resolvedAt", snoozed_until AS "snoozedUntil",
            language, sentiment_score AS "sentimentScore", sentiment_label AS "sentimentLabel",
            no_reply_needed_reason AS "noReplyNeededReason", no_reply_needed_at AS "noReplyNeededAt",
            created_at AS "createdAt"
       FROM conversations WHERE agency_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
    [tx.agencyId, ids],
  );
  const { kept, into } = planMerges(links, new Map(rows.map((r) => [r.id, r])));
  if (into.size === 0) return [];
  const children = [...into.keys()];
  const targets = children.map((id) => into.get(id)!);
  const moves = [tx.agencyId, children, targets];

  await tx.execute(
    `UPDATE messages m SET conversation_id = v.target
       FROM unnest($2::uuid[], $3::uuid[]) AS v(child, target)
      WHERE m.agency_id = $1 AND m.conversation_id = v.child`,
    moves,
  );
  await tx.execute(
    `UPDATE notes n SET conversation_id = v.target
       FROM unnest($2::uuid[], $3::uuid[]) AS v(child, target)
      WHERE n.agency_id = $1 AND n.conversation_id = v.child`,
    moves,
  );
  // The union: a tag on both (or on two folded into one) stays once.
  await tx.execute(
    `WITH moved AS (
       DELETE FROM conversation_tags t USING unnest($2::uuid[], $3::uuid[]) AS v(child, target)
        WHERE t.agency_id = $1 AND t.conversation_id = v.child
        RETURNING v.target, t.tag_id, t.created_at
     )
     INSERT INTO conversation_tags (agency_id, conversation_id, tag_id, created_at)
     SELECT $1, target, tag_id, min(created_at) FROM moved GROUP BY target, tag_id
     ON CONFLICT (agency_id, conversation_id, tag_id) DO NOTHING`,
    moves,
  );
  // The kept conversations' own links are written below (planMerges settled them).
  await tx.execute(
    `UPDATE conversations c SET linked_conversation_id = v.target, updated_at = now()
       FROM unnest($2::uuid[], $3::uuid[]) AS v(child, target)
      WHERE c.agency_id = $1 AND c.linked_conversation_id = v.child AND c.id <> ALL($3::uuid[])
        AND c.id <> ALL($2::uuid[])`,
    moves,
  );
  await tx.execute(`DELETE FROM conversations WHERE agency_id = $1 AND id = ANY($2::uuid[])`, [
    tx.agencyId,
    children,
  ]);
  await updateKept(tx, kept);

  const brandOf = new Map(rows.map((r) => [r.id, r.brandId]));
  return children.map((childId, i) => ({ childId, targetId: targets[i], brandId: brandOf.get(childId)! }));
}

/**
 * The kept conversations as planMerges made them; `awaiting_reply_since` from their messages now
 * that the folded ones' are among them (none for a resolved conversation or one marked "no reply
 * needed": planMerges keeps the mark only when both had it, and then neither waited).
 */
async function updateKept(tx: TenantTx, kept: MergeRow[]): Promise<void> {
  await tx.execute(
    `UPDATE conversations c
        SET contact_id = v.contact_id, subject = v.subject, status = v.status, priority = v.priority,
            assignee_user_id = v.assignee_user_id, team_id = v.team_id,
            linked_conversation_id = v.linked_conversation_id,
            last_message_id = v.last_message_id, last_message_at = v.last_message_at,
            last_inbound_at = v.last_inbound_at, resolved_at = v.resolved_at, snoozed_until = v.snoozed_until,
            language = v.language, sentiment_score = v.sentiment_score, sentiment_label = v.sentiment_label,
            no_reply_needed_reason = v.no_reply_needed_reason, no_reply_needed_at = v.no_reply_needed_at,
            created_at = v.created_at,
            awaiting_reply_since = CASE WHEN v.status = 'RESOLVED' OR v.no_reply_needed_at IS NOT NULL THEN NULL
                                        ELSE ${FIRST_UNANSWERED_SQL} END,
            updated_at = now()
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[],
                   $10::uuid[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[],
                   $15::text[], $16::real[], $17::text[], $18::text[], $19::timestamptz[], $20::timestamptz[])
         AS v(id, contact_id, subject, status, priority, assignee_user_id, team_id, linked_conversation_id,
              last_message_id, last_message_at, last_inbound_at, resolved_at, snoozed_until,
              language, sentiment_score, sentiment_label, no_reply_needed_reason, no_reply_needed_at, created_at)
      WHERE c.agency_id = $1 AND c.id = v.id`,
    [
      tx.agencyId,
      kept.map((k) => k.id),
      kept.map((k) => k.contactId),
      kept.map((k) => k.subject),
      kept.map((k) => k.status),
      kept.map((k) => k.priority),
      kept.map((k) => k.assigneeUserId),
      kept.map((k) => k.teamId),
      kept.map((k) => k.linkedConversationId),
      kept.map((k) => k.lastMessageId),
      kept.map((k) => k.lastMessageAt),
      kept.map((k) => k.lastInboundAt),
      kept.map((k) => k.resolvedAt),
      kept.map((k) => k.snoozedUntil),
      kept.map((k) => k.language),
      kept.map((k) => k.sentimentScore),
      kept.map((k) => k.sentimentLabel),
      kept.map((k) => k.noReplyNeededReason),
      kept.map((k) => k.noReplyNeededAt),
      kept.map((k) => k.createdAt),
    ],
  );
}
