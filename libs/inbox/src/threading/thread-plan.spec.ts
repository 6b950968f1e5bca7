import { planThreads, PlanItem, threadKeyOf } from './thread-plan';
import type { ThreadCandidates } from './threading.rules';

const T0 = new Date('2026-11-20T10:00:00Z').getTime();
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function item(over: Partial<PlanItem['msg']> & { channelId?: string } = {}): PlanItem {
  const { channelId = 'ch-1', ...msg } = over;
  return {
    channelId,
    reopenWindowHours: 24,
    msg: { kind: 'DM', direction: 'INBOUND', occurredAt: at(0), threadKey: 'dm:1', ...msg },
  };
}

const none = new Map<string, ThreadCandidates>();

describe('planThreads: threading a batch as one by one in written order', () => {
  it('opens one conversation for a new thread and joins the rest of the batch to it', () => {
    const plan = planThreads([item({ occurredAt: at(2) }), item({ occurredAt: at(1) }), item()], none);
    expect(plan.creates).toHaveLength(1);
    expect(plan.creates[0].status).toBe('OPEN');
    // The earliest message (index 2, at(0)) is the one that opens it.
    expect(plan.creates[0].item).toBe(2);
    expect(new Set(plan.placed.map((p) => p.conversationId)).size).toBe(1);
    expect(plan.placed.map((p) => p.action)).toEqual(['join', 'join', 'create']);
  });

  it('keeps threads of different keys and channels apart', () => {
    const plan = planThreads([item(), item({ threadKey: 'dm:2' }), item({ channelId: 'ch-2' })], none);
    expect(plan.creates).toHaveLength(3);
    expect(new Set(plan.placed.map((p) => p.conversationId)).size).toBe(3);
  });

  it('joins an existing open conversation', () => {
    const found = new Map([[threadKeyOf('ch-1', 'dm:1'), { open: { id: 'c-open' }, latestResolved: null }]]);
    const plan = planThreads([item(), item({ occurredAt: at(5) })], found);
    expect(plan.creates).toEqual([]);
    expect(plan.placed.every((p) => p.conversationId === 'c-open' && p.action === 'join')).toBe(true);
  });

  it('reopens a recently resolved DM once, and the rest of the batch joins it', () => {
    const found = new Map([
      [threadKeyOf('ch-1', 'dm:1'), { open: null, latestResolved: { id: 'c-old', resolvedAt: at(-60) } }],
    ]);
    const plan = planThreads([item({ occurredAt: at(1) }), item()], found);
    expect(plan.reopens).toEqual(['c-old']);
    expect(plan.placed.map((p) => p.action)).toEqual(['join', 'reopen']);
  });

  it('starts a new DM conversation after the reopen window', () => {
    const found = new Map([
      [
        threadKeyOf('ch-1', 'dm:1'),
        { open: null, latestResolved: { id: 'c-old', resolvedAt: at(-25 * 60) } },
      ],
    ]);
    const plan = planThreads([item()], found);
    expect(plan.reopens).toEqual([]);
    expect(plan.creates).toHaveLength(1);
  });

  it("records the brand's own first message as a RESOLVED conversation that the customer's later reply opens", () => {
    const brandFirst = item({ kind: 'COMMENT', threadKey: 'comment:p:1', direction: 'OUTBOUND' });
    const customer = item({ kind: 'COMMENT', threadKey: 'comment:p:1', occurredAt: at(3) });
    const plan = planThreads([customer, brandFirst], none);
    expect(plan.creates).toHaveLength(1);
    // Created once, already OPEN: no separate reopen of a row this batch inserts.
    expect(plan.creates[0].status).toBe('OPEN');
    expect(plan.reopens).toEqual([]);
    expect(plan.placed[0].conversationId).toBe(plan.placed[1].conversationId);
  });

  it('lets an outbound message alone create a RESOLVED conversation', () => {
    const plan = planThreads([item({ direction: 'OUTBOUND' })], none);
    expect(plan.creates[0].status).toBe('RESOLVED');
  });
});
