import type { ConversationStatus, Priority } from '../entities/conversation.entity';

/** What a merge reads of each conversation, and writes back to the one kept. */
export interface MergeRow {
  id: string;
  brandId: string;
  channelId: string;
  kind: string;
  threadKey: string;
  contactId: string | null;
  subject: string | null;
  status: ConversationStatus;
  priority: Priority;
  assigneeUserId: string | null;
  teamId: string | null;
  linkedConversationId: string | null;
  lastMessageId: string | null;
  lastMessageAt: Date;
  lastInboundAt: Date | null;
  resolvedAt: Date | null;
  snoozedUntil: Date | null;
  language: string | null;
  sentimentScore: number | null;
  sentimentLabel: string | null;
  noReplyNeededReason: string | null;
  noReplyNeededAt: Date | null;
  createdAt: Date;
}

/** A conversation to fold into another (a reply's, into the conversation of the message it answers). */
export interface MergeLink {
  childId: string;
  targetId: string;
}

/** "More open" wins: whatever still asks for an agent keeps asking. */
const OPENNESS: Record<ConversationStatus, number> = { RESOLVED: 0, SNOOZED: 1, PENDING: 2, OPEN: 3 };
const URGENCY: Record<Priority, number> = { LOW: 0, NORMAL: 1, HIGH: 2, URGENT: 3 };

/**
 * The threading rule a merge must keep (ThreadingService.joinRepliedThreads): a mention joins only a
 * conversation of the same customer — many customers answer one brand tweet and each keeps a
 * conversation of their own — while an email follows the mail it answers whoever wrote it. Never two
 * conversations of one key: those are split on purpose (a DM after the reopen window).
 */
export function mayMerge(target: MergeRow, child: MergeRow): boolean {
  if (target.id === child.id || target.channelId !== child.channelId || target.kind !== child.kind)
    return false;
  if (target.threadKey === child.threadKey) return false;
  if (child.kind === 'MENTION') return child.contactId !== null && child.contactId === target.contactId;
  return child.kind === 'EMAIL';
}

/**
 * `target` after taking `child` in. The agent's decisions combine so that nothing asked of an agent is
 * lost: the more open status (with its snooze or resolution time), the higher priority, the target's
 * assignee and team else the child's, "no reply needed" only if both were marked. The summaries are
 * those of the union of their messages: the newer last message and last customer message (with the
 * language and sentiment read from it), the earlier start. `awaiting_reply_since` is not here: it is
 * recomputed from the messages (FIRST_UNANSWERED_SQL), which a row alone cannot tell.
 */
export function mergeRows(target: MergeRow, child: MergeRow): MergeRow {
  const status = OPENNESS[child.status] > OPENNESS[target.status] ? child.status : target.status;
  const both = [target, child];
  const newerLast = child.lastMessageAt > target.lastMessageAt ? child : target;
  const newerIn = time(child.lastInboundAt) > time(target.lastInboundAt) ? child : target;
  const olderIn = newerIn === child ? target : child;
  const sentimentOf = newerIn.sentimentLabel !== null ? newerIn : olderIn;
  const noReply = target.noReplyNeededReason !== null && child.noReplyNeededReason !== null;
  return {
    ...target,
    contactId: target.contactId ?? child.contactId,
    subject: target.subject ?? child.subject,
    status,
    priority: URGENCY[child.priority] > URGENCY[target.priority] ? child.priority : target.priority,
    assigneeUserId: target.assigneeUserId ?? child.assigneeUserId,
    teamId: target.teamId ?? child.teamId,
    // A link between the two would now point at the kept conversation itself.
    linkedConversationId:
      [target.linkedConversationId, child.linkedConversationId].find(
        (id) => id !== null && id !== target.id && id !== child.id,
      ) ?? null,
    lastMessageId: newerLast.lastMessageId,
    lastMessageAt: newerLast.lastMessageAt,
    lastInboundAt: newerIn.lastInboundAt,
    language: newerIn.language ?? olderIn.language,
    sentimentScore: sentimentOf.sentimentScore,
    sentimentLabel: sentimentOf.sentimentLabel,
    resolvedAt: status === 'RESOLVED' ? latest(both.map((c) => c.resolvedAt)) : null,
    // Both snoozed: wake at the earlier time, when one of them wanted to be looked at again.
    snoozedUntil:
      status === 'SNOOZED'
        ? earliest(both.filter((c) => c.status === 'SNOOZED').map((c) => c.snoozedUntil))
        : null,
    noReplyNeededReason: noReply ? target.noReplyNeededReason : null,
    noReplyNeededAt: noReply ? latest(both.map((c) => c.noReplyNeededAt)) : null,
    createdAt: child.createdAt < target.createdAt ? child.createdAt : target.createdAt,
  };
}

/**
 * Applies `links` in order to `rows` (every conversation they name, keyed by id). A link whose target
 * was itself folded away folds into where that one went; a link that breaks mayMerge (or whose child
 * is already folded elsewhere) is skipped. Answers the kept conversations as they become and, for
 * each conversation folded away, the one it ended in.
 */
export function planMerges(
  links: MergeLink[],
  rows: Map<string, MergeRow>,
): { kept: MergeRow[]; into: Map<string, string> } {
  const state = new Map(rows);
  const into = new Map<string, string>();
  const end = (id: string): string => {
    let at = id;
    while (into.has(at)) at = into.get(at)!;
    return at;
  };
  for (const link of links) {
    if (into.has(link.childId)) continue;
    const targetId = end(link.targetId);
    const child = state.get(link.childId);
    const target = state.get(targetId);
    if (!child || !target || !mayMerge(target, child)) continue;
    state.set(targetId, mergeRows(target, child));
    state.delete(link.childId);
    into.set(link.childId, targetId);
  }
  const ended = new Map([...into.keys()].map((id) => [id, end(id)]));
  const kept = [...new Set(ended.values())].map((id) => {
    const row = state.get(id)!;
    const linked =
      row.linkedConversationId && (ended.get(row.linkedConversationId) ?? row.linkedConversationId);
    return { ...row, linkedConversationId: linked && linked !== id ? linked : null };
  });
  return { kept, into: ended };
}

const time = (d: Date | null) => d?.getTime() ?? -Infinity;

function latest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);
}

function earliest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((a, d) => (d && (!a || d < a) ? d : a), null);
}
