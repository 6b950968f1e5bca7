import { decideThread, reopenWindowHours, ThreadInput, withinWindow } from './threading.rules';

const H = 3_600_000;
const resolvedAt = new Date('2026-03-01T12:00:00Z');
const at = (hoursAfterResolution: number) => new Date(resolvedAt.getTime() + hoursAfterResolution * H);
const input = (over: Partial<ThreadInput> = {}): ThreadInput => ({
  kind: 'DM',
  direction: 'INBOUND',
  occurredAt: at(1),
  reopenWindowHours: 72,
  ...over,
});
const none = { open: null, latestResolved: null };
const resolved = { open: null, latestResolved: { id: 'r', resolvedAt } };
const open = { open: { id: 'o' }, latestResolved: { id: 'r', resolvedAt } };

describe('decideThread', () => {
  it.each(['DM', 'COMMENT', 'REVIEW', 'MENTION', 'EMAIL'] as const)(
    '%s joins the open conversation of its key',
    (kind) => {
      expect(decideThread(input({ kind }), open)).toEqual({ action: 'join', conversationId: 'o' });
      expect(decideThread(input({ kind, direction: 'OUTBOUND' }), open)).toEqual({
        action: 'join',
        conversationId: 'o',
      });
    },
  );

  it.each(['DM', 'COMMENT', 'REVIEW', 'MENTION', 'EMAIL'] as const)(
    'a first %s opens a conversation',
    (kind) => {
      expect(decideThread(input({ kind }), none)).toEqual({ action: 'create', status: 'OPEN' });
    },
  );

  it('a DM within the reopen window reopens the resolved conversation', () => {
    expect(decideThread(input({ occurredAt: at(71) }), resolved)).toEqual({
      action: 'reopen',
      conversationId: 'r',
    });
    expect(decideThread(input({ occurredAt: at(72) }), resolved)).toEqual({
      action: 'reopen',
      conversationId: 'r',
    });
  });

  it('a DM beyond the reopen window starts a new conversation', () => {
    expect(decideThread(input({ occurredAt: at(73) }), resolved)).toEqual({
      action: 'create',
      status: 'OPEN',
    });
    expect(decideThread(input({ occurredAt: at(2), reopenWindowHours: 1 }), resolved)).toEqual({
      action: 'create',
      status: 'OPEN',
    });
    expect(decideThread(input({ occurredAt: at(0.5), reopenWindowHours: 0 }), resolved).action).toBe(
      'create',
    );
  });

  it('a DM written before the resolution but delivered late reopens it', () => {
    expect(decideThread(input({ occurredAt: at(-5), reopenWindowHours: 0 }), resolved).action).toBe('reopen');
  });

  it.each(['COMMENT', 'REVIEW', 'MENTION', 'EMAIL'] as const)(
    'a %s reopens its thread whatever its age',
    (kind) => {
      expect(decideThread(input({ kind, occurredAt: at(24 * 400) }), resolved)).toEqual({
        action: 'reopen',
        conversationId: 'r',
      });
    },
  );

  it('the brand writing outside Caredesk never reopens, and starts resolved', () => {
    expect(decideThread(input({ direction: 'OUTBOUND' }), resolved)).toEqual({
      action: 'join',
      conversationId: 'r',
    });
    expect(decideThread(input({ kind: 'COMMENT', direction: 'OUTBOUND' }), none)).toEqual({
      action: 'create',
      status: 'RESOLVED',
    });
  });
});

describe('reopen window', () => {
  it('takes the brand setting when it is a non-negative number', () => {
    expect(reopenWindowHours({ reopenWindowHours: 5 }, 72)).toBe(5);
    expect(reopenWindowHours({ reopenWindowHours: 0 }, 72)).toBe(0);
    expect(reopenWindowHours({ reopenWindowHours: -1 }, 72)).toBe(72);
    expect(reopenWindowHours({ reopenWindowHours: '5' }, 72)).toBe(72);
    expect(reopenWindowHours({}, 72)).toBe(72);
    expect(reopenWindowHours(null, 72)).toBe(72);
  });

  it('measures from the resolution to when the message was written', () => {
    expect(withinWindow(resolvedAt, at(1), 1)).toBe(true);
    expect(withinWindow(resolvedAt, new Date(at(1).getTime() + 1), 1)).toBe(false);
  });
});
