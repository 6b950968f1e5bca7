import { mayMerge, MergeRow, mergeRows, planMerges } from './conversation-merge.rules';

const t = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 12, minutes));
const row = (id: string, over: Partial<MergeRow> = {}): MergeRow => ({
  id,
  brandId: 'brand',
  channelId: 'channel',
  kind: 'MENTION',
  threadKey: `mention:${id}`,
  contactId: 'dana',
  subject: null,
  status: 'OPEN',
  priority: 'NORMAL',
  assigneeUserId: null,
  teamId: null,
  linkedConversationId: null,
  lastMessageId: `${id}-last`,
  lastMessageAt: t(10),
  lastInboundAt: t(10),
  resolvedAt: null,
  snoozedUntil: null,
  language: null,
  sentimentScore: null,
  sentimentLabel: null,
  noReplyNeededReason: null,
  noReplyNeededAt: null,
  createdAt: t(0),
  ...over,
});

describe('mayMerge', () => {
  it("a mention only into the same customer's conversation", () => {
    expect(mayMerge(row('k1'), row('c2'))).toBe(true);
    expect(mayMerge(row('k1'), row('c2', { contactId: 'eli' }))).toBe(false);
    expect(mayMerge(row('k1', { contactId: null }), row('c2', { contactId: null }))).toBe(false);
  });

  it('an email whoever wrote it', () => {
    const mail = (id: string, contactId: string) =>
      row(id, { kind: 'EMAIL', threadKey: `email:${id}`, contactId });
    expect(mayMerge(mail('r', 'dana'), mail('x', 'eli'))).toBe(true);
  });

  it('never itself, another channel or kind, two conversations of one key, or other kinds', () => {
    expect(mayMerge(row('k1'), row('k1'))).toBe(false);
    expect(mayMerge(row('k1'), row('c2', { channelId: 'other' }))).toBe(false);
    expect(mayMerge(row('k1'), row('c2', { kind: 'DM' }))).toBe(false);
    expect(mayMerge(row('k1'), row('c2', { threadKey: 'mention:k1' }))).toBe(false);
    const dm = (id: string) => row(id, { kind: 'DM', threadKey: `dm:${id}` });
    expect(mayMerge(dm('a'), dm('b'))).toBe(false);
  });
});

describe('mergeRows', () => {
  it('keeps the more open status: OPEN > PENDING > SNOOZED > RESOLVED', () => {
    const order = ['RESOLVED', 'SNOOZED', 'PENDING', 'OPEN'] as const;
    for (const [i, a] of order.entries()) {
      for (const [j, b] of order.entries()) {
        const merged = mergeRows(
          row('k', {
            status: a,
            resolvedAt: a === 'RESOLVED' ? t(5) : null,
            snoozedUntil: a === 'SNOOZED' ? t(60) : null,
          }),
          row('c', {
            status: b,
            resolvedAt: b === 'RESOLVED' ? t(6) : null,
            snoozedUntil: b === 'SNOOZED' ? t(90) : null,
          }),
        );
        expect(merged.status).toBe(order[Math.max(i, j)]);
      }
    }
  });

  it('snooze and resolution times follow the status', () => {
    const snoozed = (id: string, until: Date) => row(id, { status: 'SNOOZED', snoozedUntil: until });
    const resolved = (id: string, at: Date) => row(id, { status: 'RESOLVED', resolvedAt: at });
    expect(mergeRows(snoozed('k', t(90)), snoozed('c', t(60)))).toMatchObject({
      snoozedUntil: t(60),
      resolvedAt: null,
    });
    expect(mergeRows(resolved('k', t(5)), snoozed('c', t(60)))).toMatchObject({
      status: 'SNOOZED',
      snoozedUntil: t(60),
      resolvedAt: null,
    });
    expect(mergeRows(snoozed('k', t(60)), row('c'))).toMatchObject({ status: 'OPEN', snoozedUntil: null });
    expect(mergeRows(resolved('k', t(5)), resolved('c', t(7)))).toMatchObject({
      resolvedAt: t(7),
      snoozedUntil: null,
    });
    expect(mergeRows(resolved('k', t(5)), row('c', { status: 'PENDING' }))).toMatchObject({
      resolvedAt: null,
    });
  });

  it('the higher priority; the target’s assignee, team, subject and contact, else the child’s', () => {
    expect(mergeRows(row('k', { priority: 'LOW' }), row('c', { priority: 'HIGH' })).priority).toBe('HIGH');
    expect(mergeRows(row('k', { priority: 'URGENT' }), row('c', { priority: 'HIGH' })).priority).toBe(
      'URGENT',
    );
    const child = row('c', { assigneeUserId: 'ann', teamId: 'team-c', subject: 'Re: order' });
    expect(mergeRows(row('k'), child)).toMatchObject({
      assigneeUserId: 'ann',
      teamId: 'team-c',
      subject: 'Re: order',
    });
    expect(
      mergeRows(row('k', { assigneeUserId: 'bob', teamId: 'team-k', subject: 'Order' }), child),
    ).toMatchObject({
      assigneeUserId: 'bob',
      teamId: 'team-k',
      subject: 'Order',
    });
    expect(mergeRows(row('k', { contactId: null }), row('c', { contactId: 'dana' })).contactId).toBe('dana');
  });

  it('"no reply needed" only when both were marked (the later mark)', () => {
    const marked = (id: string, at: Date) => row(id, { noReplyNeededReason: 'THANKS', noReplyNeededAt: at });
    expect(mergeRows(marked('k', t(3)), marked('c', t(4)))).toMatchObject({
      noReplyNeededReason: 'THANKS',
      noReplyNeededAt: t(4),
    });
    expect(mergeRows(marked('k', t(3)), row('c'))).toMatchObject({
      noReplyNeededReason: null,
      noReplyNeededAt: null,
    });
    expect(mergeRows(row('k'), marked('c', t(3)))).toMatchObject({
      noReplyNeededReason: null,
      noReplyNeededAt: null,
    });
  });

  it('the newer last message, the newer customer message with its language and sentiment, the earlier start', () => {
    const k = row('k', {
      lastMessageAt: t(20),
      lastInboundAt: t(5),
      language: 'en',
      sentimentScore: 0.5,
      sentimentLabel: 'POSITIVE',
      createdAt: t(1),
    });
    const c = row('c', {
      lastMessageAt: t(15),
      lastInboundAt: t(15),
      language: 'de',
      sentimentScore: -0.7,
      sentimentLabel: 'NEGATIVE',
      createdAt: t(0),
    });
    expect(mergeRows(k, c)).toMatchObject({
      lastMessageId: 'k-last',
      lastMessageAt: t(20),
      lastInboundAt: t(15),
      language: 'de',
      sentimentScore: -0.7,
      sentimentLabel: 'NEGATIVE',
      createdAt: t(0),
    });
    // Not analysed (no text): the older analysis stays.
    const unread = { ...c, language: null, sentimentScore: null, sentimentLabel: null };
    expect(mergeRows(k, unread)).toMatchObject({
      language: 'en',
      sentimentLabel: 'POSITIVE',
      sentimentScore: 0.5,
    });
    expect(
      mergeRows(row('k', { lastInboundAt: null }), row('c', { lastInboundAt: null })).lastInboundAt,
    ).toBeNull();
  });

  it('keeps the identity and key of the target; a link between the two is dropped', () => {
    const merged = mergeRows(
      row('k', { linkedConversationId: 'c' }),
      row('c', { linkedConversationId: 'dm' }),
    );
    expect(merged).toMatchObject({ id: 'k', threadKey: 'mention:k', linkedConversationId: 'dm' });
    expect(
      mergeRows(row('k', { linkedConversationId: 'c' }), row('c', { linkedConversationId: 'k' }))
        .linkedConversationId,
    ).toBeNull();
    expect(
      mergeRows(row('k', { linkedConversationId: 'dm1' }), row('c', { linkedConversationId: 'dm2' }))
        .linkedConversationId,
    ).toBe('dm1');
  });
});

describe('planMerges', () => {
  const rows = (...rs: MergeRow[]) => new Map(rs.map((r) => [r.id, r]));

  it('folds a chain into where its end went, whatever the order of the links', () => {
    const all = rows(row('k1', { assigneeUserId: null }), row('c2'), row('d3', { assigneeUserId: 'ann' }));
    for (const links of [
      [
        { childId: 'd3', targetId: 'c2' },
        { childId: 'c2', targetId: 'k1' },
      ],
      [
        { childId: 'c2', targetId: 'k1' },
        { childId: 'd3', targetId: 'c2' },
      ],
    ]) {
      const { kept, into } = planMerges(links, all);
      expect(Object.fromEntries(into)).toEqual({ c2: 'k1', d3: 'k1' });
      expect(kept).toEqual([expect.objectContaining({ id: 'k1', assigneeUserId: 'ann' })]);
    }
  });

  it('skips what mayMerge refuses, a child already folded elsewhere and a cycle', () => {
    const all = rows(row('k1'), row('c2'), row('e1', { contactId: 'eli' }));
    const { kept, into } = planMerges(
      [
        { childId: 'e1', targetId: 'k1' },
        { childId: 'c2', targetId: 'k1' },
        { childId: 'c2', targetId: 'e1' },
        { childId: 'k1', targetId: 'c2' },
        { childId: 'gone', targetId: 'k1' },
      ],
      all,
    );
    expect(Object.fromEntries(into)).toEqual({ c2: 'k1' });
    expect(kept.map((k) => k.id)).toEqual(['k1']);
  });

  it('a conversation linked to a folded one is linked to where it went', () => {
    const { kept } = planMerges(
      [
        { childId: 'c2', targetId: 'k1' },
        { childId: 'x2', targetId: 'x1' },
      ],
      rows(row('k1', { linkedConversationId: 'x2' }), row('c2'), row('x1'), row('x2')),
    );
    expect(kept.find((k) => k.id === 'k1')?.linkedConversationId).toBe('x1');
  });
});
