import { randomUUID } from 'node:crypto';
import type { NormalizedMessage } from '@caredesk/channels';
import { decideThread, ThreadCandidates, ThreadDecision } from './threading.rules';

/** One message to place, with the channel it arrived on. */
export interface PlanItem {
  channelId: string;
  reopenWindowHours: number;
  msg: Pick<NormalizedMessage, 'kind' | 'direction' | 'occurredAt' | 'threadKey'>;
}

/** Where one item goes: an existing conversation (joined or reopened) or one this batch creates. */
export interface PlacedItem {
  conversationId: string;
  action: ThreadDecision['action'];
}

export interface ThreadPlan {
  /** In the order of the items given. */
  placed: PlacedItem[];
  /** Conversations to create, each with the index of the item that opens it. */
  creates: { conversationId: string; item: number; status: 'OPEN' | 'RESOLVED' }[];
  /** Resolved conversations to reopen. */
  reopens: string[];
}

export function threadKeyOf(channelId: string, threadKey: string): string {
  return `${channelId}\u0000${threadKey}`;
}

/**
 * Threading of a whole batch (issue 3): the rules of threading.rules.ts applied to each message in
 * the order it was written (late deliveries are judged by when they were written, as one by one),
 * with what earlier messages of the batch decided taken into account — the second message of a new
 * thread joins the conversation the first one opens. Pure: the caller loaded `candidates` (per
 * threadKeyOf) under the thread keys' locks and applies the plan.
 */
export function planThreads(items: PlanItem[], candidates: Map<string, ThreadCandidates>): ThreadPlan {
  const order = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.msg.occurredAt.getTime() - b.item.msg.occurredAt.getTime() || a.index - b.index);
  const state = new Map<string, ThreadCandidates>();
  const placed: PlacedItem[] = new Array(items.length);
  const creates: ThreadPlan['creates'] = [];
  const reopens = new Set<string>();

  for (const { item, index } of order) {
    const key = threadKeyOf(item.channelId, item.msg.threadKey);
    const found = state.get(key) ?? candidates.get(key) ?? { open: null, latestResolved: null };
    const decision = decideThread(
      {
        kind: item.msg.kind,
        direction: item.msg.direction,
        occurredAt: item.msg.occurredAt,
        reopenWindowHours: item.reopenWindowHours,
      },
      found,
    );
    switch (decision.action) {
      case 'join':
        placed[index] = { conversationId: decision.conversationId, action: 'join' };
        state.set(key, found);
        break;
      case 'reopen': {
        // A conversation this batch creates RESOLVED (the brand wrote first) is simply created OPEN.
        const created = creates.find((c) => c.conversationId === decision.conversationId);
        if (created) created.status = 'OPEN';
        else reopens.add(decision.conversationId);
        placed[index] = { conversationId: decision.conversationId, action: 'reopen' };
        state.set(key, { open: { id: decision.conversationId }, latestResolved: null });
        break;
      }
      case 'create': {
        const conversationId = randomUUID();
        creates.push({ conversationId, item: index, status: decision.status });
        placed[index] = { conversationId, action: 'create' };
        state.set(
          key,
          decision.status === 'OPEN'
            ? { open: { id: conversationId }, latestResolved: found.latestResolved }
            : { open: null, latestResolved: { id: conversationId, resolvedAt: item.msg.occurredAt } },
        );
        break;
      }
    }
  }
  return { placed, creates, reopens: [...reopens] };
}
