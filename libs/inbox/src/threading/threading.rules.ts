import type { MessageKind } from '@caredesk/channels';

/** What threading knows about the conversations already holding a thread key on a channel. */
export interface ThreadCandidates {
  /** The unresolved conversation of the key (at most one: index conversations_open_thread_key). */
  open: { id: string } | null;
  /** The most recently resolved conversation of the key, if any. */
  latestResolved: { id: string; resolvedAt: Date } | null;
}

export type ThreadDecision =
  | { action: 'join'; conversationId: string }
  | { action: 'reopen'; conversationId: string }
  /** A new conversation; RESOLVED when nothing in it needs an agent (the brand wrote first). */
  | { action: 'create'; status: 'OPEN' | 'RESOLVED' };

export interface ThreadInput {
  kind: MessageKind;
  direction: 'INBOUND' | 'OUTBOUND';
  /** When the customer (or the brand) wrote it; late deliveries are judged by this, not arrival. */
  occurredAt: Date;
  /** The brand's `settings.reopenWindowHours`, else REOPEN_WINDOW_HOURS. Only DMs use it. */
  reopenWindowHours: number;
}

/**
 * Where a message goes (issue 3, "thread the message"). Pure: the service loads the candidates and
 * applies the decision.
 *
 * - Anything joins the unresolved conversation of its thread key.
 * - A customer's DM reopens a resolved DM conversation only when it was resolved within the reopen
 *   window before the message was written; after that it is a new matter and a new conversation.
 * - A comment (same post + top-level comment), review, mention or email thread is one matter for its
 *   whole life: a new message in it reopens it whatever its age.
 * - A message the brand sent outside Caredesk (echo, the page's own comment) never reopens anything:
 *   it joins the latest conversation of its key, and with none it starts one already RESOLVED, so the
 *   inbox records it without asking an agent to act.
 */
export function decideThread(input: ThreadInput, found: ThreadCandidates): ThreadDecision {
  if (found.open) return { action: 'join', conversationId: found.open.id };
  const resolved = found.latestResolved;

  if (input.direction === 'OUTBOUND') {
    return resolved
      ? { action: 'join', conversationId: resolved.id }
      : { action: 'create', status: 'RESOLVED' };
  }
  if (!resolved) return { action: 'create', status: 'OPEN' };
  if (input.kind !== 'DM') return { action: 'reopen', conversationId: resolved.id };
  return withinWindow(resolved.resolvedAt, input.occurredAt, input.reopenWindowHours)
    ? { action: 'reopen', conversationId: resolved.id }
    : { action: 'create', status: 'OPEN' };
}

/** A message written before the resolution (delivered late) is always within the window. */
export function withinWindow(resolvedAt: Date, occurredAt: Date, windowHours: number): boolean {
  return occurredAt.getTime() - resolvedAt.getTime() <= windowHours * 3_600_000;
}

/** A brand setting that is not a non-negative finite number falls back to the deployment default. */
export function reopenWindowHours(
  settings: Record<string, unknown> | null | undefined,
  fallback: number,
): number {
  const v = settings?.reopenWindowHours;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
}
