import { randomUUID } from 'node:crypto';
import { crossTenant } from '../support/cross-tenant';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import {
  allPages,
  CONVERSATIONS,
  COUNTS,
  InboxAgency,
  seedConv,
  seedInboxAgency,
  statementCounter,
  TAGS,
} from './conversations.support';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

/** conversations(filter, sort, first, after) and conversationCounts through GraphQL. */
describe('conversations list', () => {
  let t: TestApp;
  let a: InboxAgency;
  let b: InboxAgency;
  const ids: Record<string, string> = {};
  let agentId: string;
  let teamId: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await seedInboxAgency(t, ['FACEBOOK_PAGE', 'X', 'INSTAGRAM']);
    b = await seedInboxAgency(t);
    const agent = await createMember(t, a.owner.agencyId, 'AGENT');
    agentId = agent.userId;
    teamId = randomUUID();
    await t.ownerQuery(`INSERT INTO teams (agency_id, id, name) VALUES ($1, $2, 'Tier 2')`, [
      a.owner.agencyId,
      teamId,
    ]);
    // A small, deliberately varied inbox; times make the sorts distinct.
    ids.dmNew = (
      await seedConv(t, a, { at: minutesAgo(1), body: 'Där är min beställning? Jätteförsenad' })
    ).id;
    ids.comment = (
      await seedConv(t, a, { brand: 1, kind: 'COMMENT', at: minutesAgo(5), priority: 'HIGH', language: 'sv' })
    ).id;
    ids.review = (
      await seedConv(t, a, {
        brand: 2,
        kind: 'REVIEW',
        at: minutesAgo(10),
        sentiment: 'NEGATIVE',
        language: 'pl',
        body: 'Zamówienie nie dotarło, żądam zwrotu pieniędzy',
      })
    ).id;
    ids.pending = (await seedConv(t, a, { at: minutesAgo(20), status: 'PENDING', awaiting: false })).id;
    ids.assigned = (await seedConv(t, a, { at: minutesAgo(30), assignee: agentId, teamId })).id;
    ids.resolved = (await seedConv(t, a, { at: minutesAgo(40), status: 'RESOLVED', awaiting: false })).id;
    ids.ownerAssigned = (await seedConv(t, a, { brand: 1, at: minutesAgo(50), assignee: a.owner.userId })).id;
    ids.snoozed = (
      await seedConv(t, a, {
        at: minutesAgo(60),
        status: 'SNOOZED',
        snoozedUntil: new Date(Date.now() + 3600e3),
      })
    ).id;
    await t.ownerQuery(`UPDATE conversations SET language = 'no' WHERE id = $1`, [ids.snoozed]);
    await a.owner.client.ok(
      `mutation($input: ConversationTagsInput!) { addConversationTags(input: $input) { id } }`,
      { input: { conversationId: ids.comment, tags: ['Refund', 'VIP'] } },
    );
    await seedConv(t, b, { body: 'Other agency: where is my order?' });
  });
  afterAll(() => t?.close());

  const list = async (variables: Record<string, unknown>, client = a.owner.client) =>
    (await client.ok(CONVERSATIONS, { first: 100, ...variables })).conversations.edges.map(
      (e: any) => e.node,
    );
  const listIds = async (variables: Record<string, unknown>) => (await list(variables)).map((n: any) => n.id);

  it('shows every brand the caller may see, newest first, with contact, last message, assignee and tags', async () => {
    const nodes = await list({});
    expect(nodes.map((n: any) => n.id)).toEqual([
      ids.dmNew,
      ids.comment,
      ids.review,
      ids.pending,
      ids.assigned,
      ids.resolved,
      ids.ownerAssigned,
      ids.snoozed,
    ]);
    const assigned = nodes.find((n: any) => n.id === ids.assigned);
    expect(assigned).toMatchObject({
      assignee: { id: agentId },
      team: { id: teamId, name: 'Tier 2' },
      contact: {
        displayName: 'Carla Customer',
        identities: [{ platform: 'FACEBOOK_PAGE', username: 'carla' }],
      },
      lastMessage: { direction: 'INBOUND', body: 'Where is my order?' },
      brand: { id: a.brands[0].id },
      channel: { id: a.brands[0].channelId, platform: 'FACEBOOK_PAGE' },
      platform: 'FACEBOOK_PAGE',
    });
    expect(nodes.find((n: any) => n.id === ids.comment).tags.map((x: any) => x.name)).toEqual([
      'Refund',
      'VIP',
    ]);
  });

  it.each([
    ['brandIds', () => ({ brandIds: [a.brands[1].id] }), () => [ids.comment, ids.ownerAssigned]],
    ['channelIds', () => ({ channelIds: [a.brands[2].channelId] }), () => [ids.review]],
    ['platforms', () => ({ platforms: ['X'] }), () => [ids.comment, ids.ownerAssigned]],
    ['kinds', () => ({ kinds: ['COMMENT', 'REVIEW'] }), () => [ids.comment, ids.review]],
    ['statuses', () => ({ statuses: ['PENDING', 'SNOOZED'] }), () => [ids.pending, ids.snoozed]],
    ['priorities', () => ({ priorities: ['HIGH'] }), () => [ids.comment]],
    ['assignee me', () => ({ assignee: { me: true } }), () => [ids.ownerAssigned]],
    ['assignee userId', () => ({ assignee: { userId: agentId } }), () => [ids.assigned]],
    ['teamIds', () => ({ teamIds: [teamId] }), () => [ids.assigned]],
    ['tags (case-insensitive)', () => ({ tags: ['refund'] }), () => [ids.comment]],
    ['languages', () => ({ languages: ['sv', 'PL'] }), () => [ids.comment, ids.review]],
    ['languages: "nb" is Norwegian (stored "no")', () => ({ languages: ['nb'] }), () => [ids.snoozed]],
    [
      'languages: a BCP 47 tag ("nn-NO")',
      () => ({ languages: ['nn-NO', 'sv-SE'] }),
      () => [ids.comment, ids.snoozed],
    ],
    ['sentiments', () => ({ sentiments: ['NEGATIVE'] }), () => [ids.review]],
    ['search (Polish, case-insensitive substring)', () => ({ search: 'ZWROTU' }), () => [ids.review]],
    ['search (Swedish)', () => ({ search: 'beställning' }), () => [ids.dmNew]],
    [
      'from/to date range',
      () => ({ from: minutesAgo(25), to: minutesAgo(8) }),
      () => [ids.review, ids.pending],
    ],
    ['an empty list matches nothing', () => ({ kinds: [] }), () => []],
    ['an empty brandIds matches nothing (not every brand)', () => ({ brandIds: [] }), () => []],
    [
      'a search of 150 emoji (300 UTF-16 units, 150 characters) is allowed',
      () => ({ search: '😀'.repeat(150) }),
      () => [],
    ],
  ])('filter %s', async (_what, filter, expected) => {
    expect(await listIds({ filter: filter() })).toEqual(expected());
  });

  it('filter assignee unassigned leaves out assigned conversations', async () => {
    const got = await listIds({ filter: { assignee: { unassigned: true } } });
    expect(got).not.toContain(ids.assigned);
    expect(got).not.toContain(ids.ownerAssigned);
    expect(got).toContain(ids.dmNew);
  });

  it('filters combine (AND) and search never matches another agency', async () => {
    expect(await listIds({ filter: { brandIds: [a.brands[0].id], statuses: ['OPEN'] } })).toEqual([
      ids.dmNew,
      ids.assigned,
    ]);
    expect(await listIds({ filter: { search: 'Other agency' } })).toEqual([]);
  });

  it.each([
    ['a 2-character search', { search: 'ab' }],
    ['two assignee choices', { assignee: { me: true, unassigned: true } }],
    ['a search of 201 characters', { search: 'ä'.repeat(201) }],
    ['a language that is no language code', { languages: ['en', 'x-klingon'] }],
    ['from after to', { from: minutesAgo(5), to: minutesAgo(10) }],
  ])('%s → BAD_USER_INPUT', async (_w, filter) => {
    expect(await a.owner.client.code(CONVERSATIONS, { filter })).toBe('BAD_USER_INPUT');
  });

  it('sorts OLDEST and LONGEST_WAITING (only conversations awaiting a reply)', async () => {
    expect(await listIds({ sort: 'OLDEST' })).toEqual(
      [
        ids.snoozed,
        ids.ownerAssigned,
        ids.resolved,
        ids.assigned,
        ids.pending,
        ids.review,
        ids.comment,
        ids.dmNew,
      ].filter(Boolean),
    );
    expect(await listIds({ sort: 'LONGEST_WAITING' })).toEqual([
      ids.snoozed,
      ids.ownerAssigned,
      ids.assigned,
      ids.review,
      ids.comment,
      ids.dmNew,
    ]);
  });

  describe('cursor paging', () => {
    let c: InboxAgency;
    beforeAll(async () => {
      c = await seedInboxAgency(t);
      // 23 conversations, several sharing the exact same instant (and so the same millisecond):
      // the cursor must keep microseconds and break ties on id.
      const same = new Date(Date.now() - 3600e3);
      for (let i = 0; i < 23; i++) {
        await seedConv(t, c, { at: i % 3 === 0 ? same : minutesAgo(i), brand: i % 2 });
      }
      // Sub-millisecond times for some (a JS Date in the cursor would round them).
      await t.ownerQuery(
        `UPDATE conversations SET last_message_at = last_message_at + make_interval(secs => 0.000437),
                awaiting_reply_since = awaiting_reply_since + make_interval(secs => 0.000437)
          WHERE agency_id = $1 AND id::text < '8'`,
        [c.owner.agencyId],
      );
    });

    it.each(['NEWEST', 'OLDEST', 'LONGEST_WAITING'])(
      '%s: pages of 5 give every conversation once, in the order of one big page',
      async (sort) => {
        const paged = await allPages(c.owner.client, { sort }, 5);
        const whole = (await c.owner.client.ok(CONVERSATIONS, { sort, first: 100 })).conversations.edges.map(
          (e: any) => e.node.id,
        );
        expect(whole).toHaveLength(23);
        expect(paged).toEqual(whole);
      },
    );

    it('a cursor of another sort, a forged cursor or first outside 1..100 → BAD_USER_INPUT', async () => {
      const { conversations } = await c.owner.client.ok(CONVERSATIONS, { first: 2 });
      const cursor = conversations.pageInfo.endCursor;
      expect(await c.owner.client.code(CONVERSATIONS, { sort: 'OLDEST', after: cursor })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await c.owner.client.code(CONVERSATIONS, { after: 'bm90IGEgY3Vyc29y' })).toBe('BAD_USER_INPUT');
      expect(await c.owner.client.code(CONVERSATIONS, { first: 0 })).toBe('BAD_USER_INPUT');
      expect(await c.owner.client.code(CONVERSATIONS, { first: 101 })).toBe('BAD_USER_INPUT');
    });

    it('search of a common term (over 5,000 matching messages) takes the per-conversation path, same answer', async () => {
      const [target] = await t.ownerQuery(
        `SELECT id, brand_id, channel_id FROM conversations WHERE agency_id = $1 ORDER BY id LIMIT 1`,
        [c.owner.agencyId],
      );
      await t.ownerQuery(
        `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, body)
         SELECT $1, gen_random_uuid(), $2, $3, $4, 'INBOUND', 'Velkommen tilbake ' || i FROM generate_series(1, 5001) i`,
        [c.owner.agencyId, target.brand_id, target.channel_id, target.id],
      );
      const ids = async (search: string) =>
        (await c.owner.client.ok(CONVERSATIONS, { filter: { search }, first: 100 })).conversations.edges.map(
          (e: any) => e.node.id,
        );
      expect(await ids('VELKOMMEN')).toEqual([target.id]);
      expect(await ids('tilbake 4999')).toEqual([target.id]);
      expect(await ids('50%_')).toEqual([]);
    });

    it('the last page says hasNextPage false', async () => {
      const { conversations } = await c.owner.client.ok(CONVERSATIONS, { first: 23 });
      expect(conversations.pageInfo.hasNextPage).toBe(false);
    });
  });

  it('conversationCounts: per status, for the filter, statuses ignored', async () => {
    expect((await a.owner.client.ok(COUNTS, {})).conversationCounts).toEqual({
      open: 5,
      pending: 1,
      snoozed: 1,
      resolved: 1,
      total: 8,
    });
    expect(
      (await a.owner.client.ok(COUNTS, { filter: { brandIds: [a.brands[0].id], statuses: ['OPEN'] } }))
        .conversationCounts,
    ).toEqual({ open: 2, pending: 1, snoozed: 1, resolved: 1, total: 5 });
  });

  it('statements per conversations request: constant in the page size, ≤ 6 data statements', async () => {
    const counter = statementCounter();
    try {
      const small = await counter.measure(() => a.owner.client.ok(CONVERSATIONS, { first: 1 }));
      const large = await counter.measure(() => a.owner.client.ok(CONVERSATIONS, { first: 100 }));
      const filtered = await counter.measure(() =>
        a.owner.client.ok(CONVERSATIONS, {
          first: 100,
          filter: { brandIds: [a.brands[0].id], tags: ['vip'] },
        }),
      );
      expect(large.result.conversations.edges.length).toBe(8);
      expect(large.all.length).toBe(small.all.length);
      // Auth (membership) + the page; + the brand check when the filter names brands.
      expect(large.data.length).toBeLessThanOrEqual(6);
      expect(filtered.data.length).toBeLessThanOrEqual(6);
      // With BEGIN, set_config and COMMIT of the auth and the page transactions.
      console.log(
        `statements per conversations request: ${large.all.length} in all, ${large.data.length} data ` +
          `(${filtered.all.length} / ${filtered.data.length} with a brand filter)`,
      );
    } finally {
      counter.restore();
    }
  });

  it('a CLIENT_VIEWER may not read the inbox (FORBIDDEN)', async () => {
    const viewer = await createMember(t, a.owner.agencyId, 'CLIENT_VIEWER');
    expect(await viewer.client.code(CONVERSATIONS, {})).toBe('FORBIDDEN');
    expect(await viewer.client.code(COUNTS, {})).toBe('FORBIDDEN');
  });

  describe(crossTenant('conversations'), () => {
    it("another agency's brand in brandIds → NOT_FOUND; without a filter only the caller's agency", async () => {
      expect(await a.owner.client.code(CONVERSATIONS, { filter: { brandIds: [b.brands[0].id] } })).toBe(
        'NOT_FOUND',
      );
      const mine = await listIds({});
      expect(mine).toHaveLength(8);
    });

    it('a brand-limited agent sees only its brands; another brand in brandIds → NOT_FOUND', async () => {
      const limited = await createMember(t, a.owner.agencyId, 'AGENT', [a.brands[1].id]);
      expect((await list({}, limited.client)).map((n: any) => n.id)).toEqual([
        ids.comment,
        ids.ownerAssigned,
      ]);
      expect(await limited.client.code(CONVERSATIONS, { filter: { brandIds: [a.brands[0].id] } })).toBe(
        'NOT_FOUND',
      );
      // Other ids only filter: an out-of-scope channel matches nothing.
      expect(await list({ filter: { channelIds: [a.brands[0].channelId] } }, limited.client)).toEqual([]);
    });
  });

  describe(crossTenant('conversationCounts'), () => {
    it('another agency or an out-of-scope brand in brandIds → NOT_FOUND; counts only visible brands', async () => {
      expect(await a.owner.client.code(COUNTS, { filter: { brandIds: [b.brands[0].id] } })).toBe('NOT_FOUND');
      const limited = await createMember(t, a.owner.agencyId, 'AGENT', [a.brands[1].id]);
      expect(await limited.client.code(COUNTS, { filter: { brandIds: [a.brands[0].id] } })).toBe('NOT_FOUND');
      expect((await limited.client.ok(COUNTS, {})).conversationCounts.total).toBe(2);
    });
  });

  describe(crossTenant('tags'), () => {
    it("lists a brand's tags; another agency's brand or an out-of-scope brand → NOT_FOUND", async () => {
      expect(
        (await a.owner.client.ok(TAGS, { brandId: a.brands[1].id })).tags.map((x: any) => x.name),
      ).toEqual(['Refund', 'VIP']);
      expect(await a.owner.client.code(TAGS, { brandId: b.brands[0].id })).toBe('NOT_FOUND');
      const limited = await createMember(t, a.owner.agencyId, 'AGENT', [a.brands[0].id]);
      expect(await limited.client.code(TAGS, { brandId: a.brands[1].id })).toBe('NOT_FOUND');
    });
  });
});
