import type { TenantTx } from '@caredesk/core';
import type { NormalizedMessage } from '@caredesk/channels';
import type { MergeLink } from './conversation-merge.rules';

/** A message being placed, as this file needs it. */
interface Item {
  target: { channelId: string };
  msg: Pick<NormalizedMessage, 'kind' | 'externalId' | 'parentExternalId'>;
}

/**
 * Replies delivered before the message they answer. An X mention or an email naming only In-Reply-To
 * joins the conversation of the message it answers (ThreadingService.joinRepliedThreads), but only
 * once that message is stored: delivered earlier (webhook retries, two workers, deliveries out of
 * order), the reply starts a conversation of its own — keyed by its own id (`mention:<reply>`), or by
 * the id of the message it answers (`email:<parent>`; the brand's tweet answering a customer tweet,
 * `mention:<parent>`). When the answered message is stored, that conversation is folded into the
 * message's (conversation-merge.ts), so the result does not depend on the order of delivery.
 *
 * Two transactions storing the reply and its parent at the same moment would not see each other's
 * rows, so both take an advisory lock per (channel, message id) — the parent on its own id, the reply
 * on its parent's — in the thread-key lock call (one sorted call: no deadlock), and look after it: the
 * one granted the lock second sees the other's rows, committed. Either the parent finds the reply's
 * conversation, or the reply (whose parent was not there before the lock) finds the parent's.
 */
export function replyLinkKeys(agencyId: string, items: Item[]): string[] {
  const key = (channelId: string, externalId: string) => `reply:${agencyId}:${channelId}:${externalId}`;
  return items
    .filter(answersByParent)
    .flatMap((i) => [
      key(i.target.channelId, i.msg.externalId),
      ...(i.msg.parentExternalId ? [key(i.target.channelId, i.msg.parentExternalId)] : []),
    ]);
}

/** The kinds whose replies name what they answer and may arrive first (see joinRepliedThreads). */
function answersByParent(i: Item): boolean {
  return i.msg.kind === 'MENTION' || i.msg.kind === 'EMAIL';
}

/**
 * One statement, after the locks: for the new messages (`$2`, `$3`: channel, own id), the stored
 * conversations a reply to them started on its own — the reply's conversation is keyed as it would be
 * with no parent found (index messages_parent_idx); for replies whose parent was not found before the
 * locks (`$4`, `$5`: channel, parent id), that parent's conversation, if it committed meanwhile.
 * `item` is the 0-based position in each list.
 */
export const STRANDED_REPLIES_SQL = `
  SELECT 'CHILD' AS side, (k.i - 1)::int AS item, c.id AS conversation_id
    FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS k(channel_id, external_id, i)
    JOIN messages m ON m.agency_id = $1 AND m.channel_id = k.channel_id AND m.parent_external_id = k.external_id
    JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
   WHERE m.parent_external_id IS NOT NULL -- implied, stated for the partial index
     AND c.thread_key IN ('mention:' || m.external_id, 'mention:' || m.parent_external_id,
                          'email:' || m.parent_external_id)
  UNION
  SELECT 'PARENT', (k.i - 1)::int, m.conversation_id
    FROM unnest($4::uuid[], $5::text[]) WITH ORDINALITY AS k(channel_id, external_id, i)
    JOIN messages m ON m.agency_id = $1 AND m.channel_id = k.channel_id AND m.external_id = k.external_id
   WHERE m.external_id IS NOT NULL`;

/** What STRANDED_REPLIES_SQL found, by position in the items given to findStrandedReplies. */
export interface StrandedReplies {
  /** A stored reply's own conversation, to fold into the conversation item `item` is placed in. */
  children: { item: number; conversationId: string }[];
  /** The conversation of the message reply `item` answers, to fold the reply's conversation into. */
  parents: { item: number; conversationId: string }[];
}

/** `unanswered`: positions of the replies whose parent joinRepliedThreads did not find. */
export async function findStrandedReplies(
  tx: TenantTx,
  items: Item[],
  unanswered: Set<number>,
): Promise<StrandedReplies> {
  const found: StrandedReplies = { children: [], parents: [] };
  const parents = [...items.keys()].filter((k) => answersByParent(items[k]));
  const replies = [...unanswered];
  if (parents.length === 0 && replies.length === 0) return found;
  const rows = await tx.query<{ side: 'CHILD' | 'PARENT'; item: number; conversation_id: string }>(
    STRANDED_REPLIES_SQL,
    [
      tx.agencyId,
      parents.map((k) => items[k].target.channelId),
      parents.map((k) => items[k].msg.externalId),
      replies.map((k) => items[k].target.channelId),
      replies.map((k) => items[k].msg.parentExternalId),
    ],
  );
  for (const r of rows) {
    if (r.side === 'CHILD') found.children.push({ item: parents[r.item], conversationId: r.conversation_id });
    else found.parents.push({ item: replies[r.item], conversationId: r.conversation_id });
  }
  return found;
}

/**
 * The merges due once the items are placed; `placedIn(item)` is the conversation an item went to, or
 * null when it was not stored (a concurrent insert of the same platform id won, and that transaction
 * does the folding). Conversations that turn out to be the same are left to planMerges.
 */
export function strandedMerges(
  found: StrandedReplies,
  placedIn: (item: number) => string | null,
): MergeLink[] {
  const links: MergeLink[] = [];
  for (const c of found.children) {
    const targetId = placedIn(c.item);
    if (targetId) links.push({ childId: c.conversationId, targetId });
  }
  for (const p of found.parents) {
    const childId = placedIn(p.item);
    if (childId) links.push({ childId, targetId: p.conversationId });
  }
  return links;
}
