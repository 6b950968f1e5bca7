import type { TenantTx } from '@caredesk/core';
import type { MergeLink } from './conversation-merge.rules';
import { mayFoldNamingMail, mayJoinEmailThread, personalRecipients, viaOf } from './email-threads.rules';
import {
  ANSWERS_SQL,
  emailItem,
  MESSAGE_CUSTOMERS_SQL,
  RECIPIENTS_SQL,
  RepliedItem,
  Unanswered,
} from './replied-threads';

/**
 * Replies delivered before the message they answer. An X mention or an email naming a stored message
 * joins that message's conversation (replied-threads.ts), but only once that message is stored:
 * delivered earlier (webhook retries, two workers, deliveries out of order, a mail client that sent the
 * answer first), the reply starts a conversation of its own — a mention keyed by its own id
 * (`mention:<reply>`; the brand's tweet answering a customer tweet, `mention:<parent>`), a mail by its
 * root (`email:<root> <customer>`). When the answered message is stored, that conversation is folded
 * into the message's (conversation-merge.ts), so the result does not depend on the order of delivery.
 * For mail "answered" is any ancestor: a mail naming the new one anywhere in its In-Reply-To or
 * References (messages.ancestor_external_ids), under the same rule of who may join whom
 * (email-threads.rules.ts).
 *
 * Two transactions storing the reply and its parent at the same moment would not see each other's
 * rows, so both take an advisory lock per (channel, message id) — the parent on its own id, the reply
 * on each id it did not find (Unanswered) — in the thread-key lock call (one sorted call: no deadlock),
 * and look after it: the one granted the lock second sees the other's rows, committed. Either the
 * parent finds the reply's conversation, or the reply (whose parent was not there before the lock)
 * finds the parent's.
 */
export function replyLinkKeys(agencyId: string, items: RepliedItem[], unanswered: Unanswered[]): string[] {
  const key = (channelId: string, externalId: string) => `reply:${agencyId}:${channelId}:${externalId}`;
  return [
    ...items.filter(answersByParent).map((i) => key(i.target.channelId, i.msg.externalId)),
    ...unanswered.map((u) => key(items[u.item].target.channelId, u.externalId)),
  ];
}

/** The kinds whose replies name what they answer and may arrive first (see joinRepliedThreads). */
function answersByParent(i: RepliedItem): boolean {
  return i.msg.kind === 'MENTION' || i.msg.kind === 'EMAIL';
}

/**
 * One statement, after the locks, each part giving `item`, the 0-based position in its lists:
 * - CHILD: for the new mentions (`$2`, `$3`: channel, own id), the stored conversations a reply to
 *   them started on its own — keyed as it would be with no parent found (index messages_parent_idx);
 * - NAMED: for the new mails (`$6`, `$7`), the conversations of stored mails that name them among
 *   their ancestors (index messages_ancestors_idx), with their customer;
 * - PARENT: for the ids not found before the locks (`$4`, `$5`: channel, id), the conversation of that
 *   message, if it committed meanwhile, with what decides whether a mail may join it (its direction,
 *   whether it answers another, its conversation's customer, the brand's starter's visible recipients).
 */
export const STRANDED_REPLIES_SQL = `
  SELECT 'CHILD' AS side, (k.i - 1)::int AS item, c.id AS conversation_id,
         NULL::text AS direction, NULL::boolean AS answers, NULL::text[] AS customers,
         NULL::text AS mail_to, NULL::text AS mail_cc
    FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS k(channel_id, external_id, i)
    JOIN messages m ON m.agency_id = $1 AND m.channel_id = k.channel_id AND m.parent_external_id = k.external_id
    JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
   WHERE m.parent_external_id IS NOT NULL -- implied, stated for the partial index
     AND c.thread_key IN ('mention:' || m.external_id, 'mention:' || m.parent_external_id)
  UNION
  SELECT 'NAMED', (k.i - 1)::int, m.conversation_id, NULL, NULL, ${MESSAGE_CUSTOMERS_SQL}, NULL, NULL
    FROM messages m
    JOIN unnest($6::uuid[], $7::text[]) WITH ORDINALITY AS k(channel_id, external_id, i)
      ON k.channel_id = m.channel_id AND k.external_id = ANY(m.ancestor_external_ids)
   WHERE m.agency_id = $1 AND m.ancestor_external_ids && $7::text[] -- one scan of the index for the batch
  UNION
  SELECT 'PARENT', (k.i - 1)::int, m.conversation_id, m.direction, ${ANSWERS_SQL}, ${MESSAGE_CUSTOMERS_SQL},
         ${RECIPIENTS_SQL}
    FROM unnest($4::uuid[], $5::text[]) WITH ORDINALITY AS k(channel_id, external_id, i)
    JOIN messages m ON m.agency_id = $1 AND m.channel_id = k.channel_id AND m.external_id = k.external_id
   WHERE m.external_id IS NOT NULL`;

/** What STRANDED_REPLIES_SQL found, by position in the items given to findStrandedReplies. */
export interface StrandedReplies {
  /** A stored reply's own conversation, to fold into the conversation item `item` is placed in. */
  children: { item: number; conversationId: string }[];
  /**
   * The conversation of a stored mail naming mail `item`: the two are folded together — into this
   * one when `item` opened a conversation of its own (an older conversation keeps its id), else this
   * one into item's.
   */
  named: { item: number; conversationId: string }[];
  /** The conversation of the message reply `item` answers, to fold the reply's conversation into. */
  parents: { item: number; conversationId: string }[];
}

interface Row {
  side: 'CHILD' | 'NAMED' | 'PARENT';
  item: number;
  conversation_id: string;
  direction: 'INBOUND' | 'OUTBOUND' | null;
  answers: boolean | null;
  customers: string[] | null;
  mail_to: string | null;
  mail_cc: string | null;
}

/** `unanswered`: the ids joinRepliedThreads did not find, nearest first per item. */
export async function findStrandedReplies(
  tx: TenantTx,
  items: RepliedItem[],
  unanswered: Unanswered[],
): Promise<StrandedReplies> {
  const found: StrandedReplies = { children: [], named: [], parents: [] };
  const mentions = [...items.keys()].filter((k) => items[k].msg.kind === 'MENTION');
  const emails = [...items.keys()].filter((k) => items[k].msg.kind === 'EMAIL');
  if (mentions.length === 0 && emails.length === 0) return found;
  const rows = await tx.query<Row>(STRANDED_REPLIES_SQL, [
    tx.agencyId,
    mentions.map((k) => items[k].target.channelId),
    mentions.map((k) => items[k].msg.externalId),
    unanswered.map((u) => items[u.item].target.channelId),
    unanswered.map((u) => u.externalId),
    emails.map((k) => items[k].target.channelId),
    emails.map((k) => items[k].msg.externalId),
  ]);
  // PARENT rows in the order asked, so a mail folds into its nearest ancestor found.
  const parentRows = rows.filter((r) => r.side === 'PARENT').sort((a, b) => a.item - b.item);
  const answered = new Set<number>();
  for (const r of parentRows) {
    const { item } = unanswered[r.item];
    const msg = items[item].msg;
    if (msg.kind === 'EMAIL') {
      const thread = {
        via: viaOf(r.direction!, !!r.answers),
        customers: r.customers ?? [],
        recipients: personalRecipients(r.mail_to, r.mail_cc),
      };
      if (answered.has(item) || !mayJoinEmailThread(thread, msg.customer?.externalUserId ?? null)) continue;
      answered.add(item);
    }
    found.parents.push({ item, conversationId: r.conversation_id });
  }
  for (const r of rows) {
    if (r.side === 'CHILD')
      found.children.push({ item: mentions[r.item], conversationId: r.conversation_id });
    if (r.side === 'NAMED' && mayFoldNamingMail(emailItem(items[emails[r.item]]), r.customers ?? [])) {
      found.named.push({ item: emails[r.item], conversationId: r.conversation_id });
    }
  }
  return found;
}

/**
 * The merges due once the items are placed; `placedIn(item)` is the conversation an item went to, or
 * null when it was not stored (a concurrent insert of the same platform id won, and that transaction
 * does the folding); `created(id)`: whether this batch opened conversation `id`. Conversations that
 * turn out to be the same are left to planMerges, which also follows a link to where its target went.
 */
export function strandedMerges(
  found: StrandedReplies,
  placedIn: (item: number) => string | null,
  created: (conversationId: string) => boolean,
): MergeLink[] {
  const links: MergeLink[] = [];
  const folded = new Set<string>();
  for (const p of found.parents) {
    const childId = placedIn(p.item);
    if (!childId) continue;
    links.push({ childId, targetId: p.conversationId });
    folded.add(childId);
  }
  for (const c of found.children) {
    const targetId = placedIn(c.item);
    if (targetId) links.push({ childId: c.conversationId, targetId });
  }
  for (const n of found.named) {
    const placed = placedIn(n.item);
    if (!placed) continue;
    // A conversation the new mail just opened goes into the older one (which keeps its id, its
    // subscribers and its agents' links); more of them then follow it there.
    if (created(placed) && !folded.has(placed)) {
      links.push({ childId: placed, targetId: n.conversationId });
      folded.add(placed);
    } else links.push({ childId: n.conversationId, targetId: placed });
  }
  return links;
}
