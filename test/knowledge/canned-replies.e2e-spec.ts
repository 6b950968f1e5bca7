import { InboxAgency } from '../inbox/conversations.support';
import { crossTenant } from '../support/cross-tenant';
import { createMember, Member } from '../support/members';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  CANNED_REPLIES,
  CREATE_REPLY,
  customerAsks,
  DELETE_REPLY,
  RENDER,
  seedKnowledgeAgency,
  UPDATE_REPLY,
  variant,
} from './knowledge.support';

const GREETING = {
  title: 'Where is my order',
  shortcut: 'where',
  tags: ['shipping', 'Shipping', ' orders '],
  variants: [
    variant(
      'en',
      'Hi {{contact.firstName | "there"}}, your order is on its way. {{agent.firstName}} at {{brand.name}}',
    ),
    variant(
      'nb',
      'Hei {{contact.firstName | "der"}}! Bestillingen din er på vei. Hilsen {{agent.firstName | "oss"}}',
    ),
    variant('pl', 'Dzień dobry {{contact.name | "Pani/Panie"}}, zamówienie jest już w drodze.'),
    variant('vi', 'Chào {{contact.firstName | "bạn"}}, đơn hàng của bạn đang được giao.'),
  ],
};

describe('canned replies', () => {
  let t: TestApp;
  let a: InboxAgency;
  let owner: SignedUp;
  let manager: Member;
  let agent: Member;
  let brandId: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await seedKnowledgeAgency(t);
    owner = a.owner;
    brandId = a.brands[0].id;
    manager = await createMember(t, owner.agencyId, 'MANAGER', [brandId]);
    agent = await createMember(t, owner.agencyId, 'AGENT', [brandId]);
  });
  afterAll(() => t.close());

  const create = (input: Record<string, unknown>, client = manager.client) =>
    client.ok(CREATE_REPLY, { input: { brandId, ...input } }).then((d) => d.createCannedReply);

  it('creates a reply with variants per language (canonical tags, sorted), tidied tags, and audits it', async () => {
    const r = await create({
      ...GREETING,
      shortcut: '/greet',
      variants: [...GREETING.variants, variant('EN-gb', 'Hello')],
    });
    expect(r).toMatchObject({
      brandId,
      title: 'Where is my order',
      shortcut: 'greet',
      tags: ['shipping', 'orders'],
    });
    expect(r.usageCount).toBe(0);
    expect(r.variants.map((v: any) => v.language)).toEqual(['en', 'en-GB', 'nb', 'pl', 'vi']);
    expect(
      await t.count(
        `audit_events WHERE agency_id = $1 AND action = 'canned_reply.create' AND entity_id = $2`,
        [owner.agencyId, r.id],
      ),
    ).toBe(1);
  });

  it('refuses a shortcut the brand already uses, ignoring case, with CONFLICT (and allows it in another brand)', async () => {
    await create({ ...GREETING, shortcut: 'refund' });
    expect(
      await manager.client.code(CREATE_REPLY, { input: { brandId, ...GREETING, shortcut: 'REFUND' } }),
    ).toBe('CONFLICT');
    const other = await owner.client.ok(CREATE_REPLY, {
      input: { ...GREETING, brandId: a.brands[1].id, shortcut: 'refund' },
    });
    expect(other.createCannedReply.shortcut).toBe('refund');
    const second = await create({ ...GREETING, shortcut: 'refund2' });
    expect(await manager.client.code(UPDATE_REPLY, { input: { id: second.id, shortcut: 'Refund' } })).toBe(
      'CONFLICT',
    );
  });

  it('rejects unknown variables, broken placeholders, duplicate languages and bad shortcuts as BAD_USER_INPUT, writing nothing', async () => {
    const before = await t.count('canned_replies WHERE agency_id = $1', [owner.agencyId]);
    const bad = async (input: Record<string, unknown>) => {
      const r = await manager.client.request(CREATE_REPLY, {
        input: { brandId, ...GREETING, shortcut: 'bad', ...input },
      });
      return r.errors?.[0]?.extensions;
    };
    expect(await bad({ variants: [variant('en', 'Hi {{customer.name}}')] })).toMatchObject({
      code: 'BAD_USER_INPUT',
      variable: 'customer.name',
    });
    expect((await bad({ variants: [variant('en', 'Hi {{contact.name')] }))?.code).toBe('BAD_USER_INPUT');
    expect((await bad({ variants: [variant('en', 'a'), variant('EN', 'b')] }))?.code).toBe('BAD_USER_INPUT');
    expect((await bad({ variants: [variant('not a tag!', 'a')] }))?.code).toBe('BAD_USER_INPUT');
    expect((await bad({ variants: [] }))?.code).toBe('BAD_USER_INPUT');
    expect((await bad({ shortcut: 'two words' }))?.code).toBe('BAD_USER_INPUT');
    expect((await bad({ title: '   ' }))?.code).toBe('BAD_USER_INPUT');
    expect(await t.count('canned_replies WHERE agency_id = $1', [owner.agencyId])).toBe(before);
  });

  it('lets agents list and render but not write; CLIENT_VIEWERs get FORBIDDEN', async () => {
    expect(
      await agent.client.code(CREATE_REPLY, { input: { brandId, ...GREETING, shortcut: 'agent' } }),
    ).toBe('FORBIDDEN');
    const viewer = await createMember(t, owner.agencyId, 'CLIENT_VIEWER', [brandId]);
    expect(await viewer.client.code(CANNED_REPLIES, { brandId })).toBe('FORBIDDEN');
    const { cannedReplies } = await agent.client.ok(CANNED_REPLIES, { brandId });
    expect(cannedReplies.nodes.length).toBeGreaterThan(0);
  });

  it('updates fields and replaces variants (audited with the changes); omitted fields stay', async () => {
    const r = await create({ ...GREETING, shortcut: 'upd' });
    const { updateCannedReply: u } = await manager.client.ok(UPDATE_REPLY, {
      input: {
        id: r.id,
        title: 'Order status',
        variants: [variant('en', 'On its way, {{contact.firstName}}!')],
      },
    });
    expect(u).toMatchObject({ title: 'Order status', shortcut: 'upd', tags: ['shipping', 'orders'] });
    expect(u.variants).toEqual([{ language: 'en', body: 'On its way, {{contact.firstName}}!' }]);
    const [audit] = await t.ownerQuery(
      `SELECT changes FROM audit_events WHERE action = 'canned_reply.update' AND entity_id = $1`,
      [r.id],
    );
    expect(audit.changes.title).toEqual({ from: 'Where is my order', to: 'Order status' });
    expect(audit.changes.variants.to).toHaveLength(1);
    expect(await t.count('canned_reply_variants WHERE canned_reply_id = $1', [r.id])).toBe(1);
  });

  it('deletes a reply with its variants (audited)', async () => {
    const r = await create({ ...GREETING, shortcut: 'del' });
    expect((await manager.client.ok(DELETE_REPLY, { id: r.id })).deleteCannedReply).toBe(true);
    expect(await t.count('canned_replies WHERE id = $1', [r.id])).toBe(0);
    expect(await t.count('canned_reply_variants WHERE canned_reply_id = $1', [r.id])).toBe(0);
    expect(
      await t.count(`audit_events WHERE action = 'canned_reply.delete' AND entity_id = $1`, [r.id]),
    ).toBe(1);
    expect(await manager.client.code(DELETE_REPLY, { id: r.id })).toBe('NOT_FOUND');
  });

  describe('rendering', () => {
    let replyId: string;
    beforeAll(async () => {
      replyId = (await create({ ...GREETING, shortcut: 'render' })).id;
    });
    const render = async (conversationId: string, language?: string, client = agent.client) =>
      (await client.ok(RENDER, { input: { cannedReplyId: replyId, conversationId, language } }))
        .renderCannedReply;

    it("fills in the customer's, the agent's and the brand's names in the conversation's language", async () => {
      const conv = await customerAsks(t, a, 'Hvor er pakken min?', {
        language: 'nb',
        contactName: 'Øystein Ås',
      });
      const r = await render(conv.id);
      expect(r.language).toBe('nb');
      // The agent member's name is "AGENT member" (test/support/members.ts).
      expect(r.text).toBe('Hei Øystein! Bestillingen din er på vei. Hilsen AGENT');
    });

    it('uses fallbacks when a value is unknown, and renders Polish and Vietnamese variants', async () => {
      const conv = await customerAsks(t, a, 'Gdzie jest moje zamówienie?', {
        language: 'pl',
        contactName: null,
      });
      expect((await render(conv.id)).text).toBe('Dzień dobry Pani/Panie, zamówienie jest już w drodze.');
      const vi = await customerAsks(t, a, 'Đơn hàng của tôi ở đâu?', {
        language: 'vi',
        contactName: 'Nguyễn Văn An',
      });
      expect((await render(vi.id)).text).toBe('Chào Nguyễn, đơn hàng của bạn đang được giao.');
    });

    it("takes an asked language first, then the conversation's, then the brand's first language, then any", async () => {
      const conv = await customerAsks(t, a, 'Var är mitt paket?', { language: 'sv', contactName: 'Sven' });
      // Swedish has no variant: the brand's first language (en) it is.
      expect((await render(conv.id)).language).toBe('en');
      expect((await render(conv.id, 'pl-PL')).language).toBe('pl');
      expect((await render(conv.id, 'no')).language).toBe('nb');
      expect((await render(conv.id)).text).toBe(
        `Hi Sven, your order is on its way. AGENT at ${'Brand FACEBOOK_PAGE'}`,
      );
      const onlyVi = await create({ ...GREETING, shortcut: 'onlyvi', variants: [GREETING.variants[3]] });
      const r = await agent.client.ok(RENDER, {
        input: { cannedReplyId: onlyVi.id, conversationId: conv.id },
      });
      expect(r.renderCannedReply.language).toBe('vi');
    });

    it('counts every use, also under concurrent renders', async () => {
      const conv = await customerAsks(t, a, 'Where is my order?');
      const before = (
        await agent.client.ok(CANNED_REPLIES, { brandId, search: 'render' })
      ).cannedReplies.nodes.find((n: any) => n.id === replyId).usageCount;
      const results = await Promise.all(Array.from({ length: 5 }, () => render(conv.id)));
      expect(Math.max(...results.map((r) => r.usageCount))).toBe(before + 5);
      const [row] = await t.ownerQuery(`SELECT usage_count, last_used_at FROM canned_replies WHERE id = $1`, [
        replyId,
      ]);
      expect(row.usage_count).toBe(before + 5);
      expect(row.last_used_at).not.toBeNull();
    });

    it("refuses a reply of another brand than the conversation's with BAD_USER_INPUT", async () => {
      const conv = await customerAsks(t, a, 'Hello', { brand: 1 });
      expect(
        await owner.client.code(RENDER, { input: { cannedReplyId: replyId, conversationId: conv.id } }),
      ).toBe('BAD_USER_INPUT');
    });
  });

  describe('listing and search', () => {
    let brand: string;
    let client: SignedUp['client'];
    beforeAll(async () => {
      // An agency of its own, so other tests' replies do not show up.
      const l = await seedKnowledgeAgency(t, ['en'], 1);
      brand = l.brands[0].id;
      client = l.owner.client;
      const add = (title: string, shortcut: string, tags: string[], variants: any[]) =>
        client.ok(CREATE_REPLY, { input: { brandId: brand, title, shortcut, tags, variants } });
      await add('Refund policy', 'refund-policy', ['billing'], [variant('en', 'Refunds take 5 days')]);
      await add('Zwrot pieniędzy', 'zwrot', [], [variant('pl', 'Zwrot trwa 5 dni')]);
      await add('Giờ mở cửa', 'gio', ['giờ'], [variant('vi', 'Chúng tôi mở cửa 8h-17h')]);
      await add('Opening hours', 'hours', [], [variant('en', '9 to 5'), variant('nb', '9 til 5')]);
    });
    const titles = async (vars: Record<string, unknown>) =>
      (await client.ok(CANNED_REPLIES, { brandId: brand, ...vars })).cannedReplies.nodes.map(
        (n: any) => n.title,
      );

    it('searches titles and tags by word prefix, shortcuts by their start, titles with typos, with or without diacritics', async () => {
      expect(await titles({ search: 'refun' })).toContain('Refund policy');
      expect(await titles({ search: 'billing' })).toEqual(['Refund policy']);
      expect(await titles({ search: '/zw' })).toEqual(['Zwrot pieniędzy']);
      expect(await titles({ search: 'pieniedzy' })).toEqual(['Zwrot pieniędzy']);
      expect(await titles({ search: 'gio mo cua' })).toEqual(['Giờ mở cửa']);
      expect(await titles({ search: 'Openin hurs' })).toEqual(['Opening hours']);
    });

    it('filters by language (primary subtag, Norwegian no = nb) and pages newest first', async () => {
      expect(await titles({ language: 'nb-NO' })).toEqual(['Opening hours']);
      expect(await titles({ language: 'no' })).toEqual(['Opening hours']);
      const first = (await client.ok(CANNED_REPLIES, { brandId: brand, first: 2 })).cannedReplies;
      expect(first.pageInfo.hasNextPage).toBe(true);
      const rest = (
        await client.ok(CANNED_REPLIES, { brandId: brand, first: 10, after: first.pageInfo.endCursor })
      ).cannedReplies;
      const all = [...first.nodes, ...rest.nodes].map((n: any) => n.title);
      expect(all.slice(0, 4)).toEqual(['Opening hours', 'Giờ mở cửa', 'Zwrot pieniędzy', 'Refund policy']);
      expect(await client.code(CANNED_REPLIES, { brandId: brand, first: 1000 })).toBe('BAD_USER_INPUT');
    });
  });

  describe('cross-tenant and out-of-scope brands', () => {
    let stranger: SignedUp;
    let outOfScope: Member;
    let replyId: string;
    let convId: string;
    beforeAll(async () => {
      stranger = await signUpAgency(t.gql, 'Stranger');
      // A manager of brand 1 only: brand 0's replies and conversations are out of scope.
      outOfScope = await createMember(t, owner.agencyId, 'MANAGER', [a.brands[1].id]);
      replyId = (await create({ ...GREETING, shortcut: 'scoped' })).id;
      convId = (await customerAsks(t, a, 'Where is my order?')).id;
    });

    describe(crossTenant('cannedReplies'), () => {
      it('answers NOT_FOUND', async () => {
        expect(await stranger.client.code(CANNED_REPLIES, { brandId })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(CANNED_REPLIES, { brandId })).toBe('NOT_FOUND');
      });
    });

    describe(crossTenant('createCannedReply'), () => {
      it('answers NOT_FOUND and writes nothing', async () => {
        const input = { brandId, ...GREETING, shortcut: 'intruder' };
        expect(await stranger.client.code(CREATE_REPLY, { input })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(CREATE_REPLY, { input })).toBe('NOT_FOUND');
        expect(await t.count(`canned_replies WHERE shortcut = 'intruder'`)).toBe(0);
      });
    });

    describe(crossTenant('updateCannedReply'), () => {
      it('answers NOT_FOUND and changes nothing', async () => {
        const input = { id: replyId, title: 'Hijacked' };
        expect(await stranger.client.code(UPDATE_REPLY, { input })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(UPDATE_REPLY, { input })).toBe('NOT_FOUND');
        expect(await t.count(`canned_replies WHERE title = 'Hijacked'`)).toBe(0);
      });
    });

    describe(crossTenant('deleteCannedReply'), () => {
      it('answers NOT_FOUND and deletes nothing', async () => {
        expect(await stranger.client.code(DELETE_REPLY, { id: replyId })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(DELETE_REPLY, { id: replyId })).toBe('NOT_FOUND');
        expect(await t.count('canned_replies WHERE id = $1', [replyId])).toBe(1);
      });
    });

    describe(crossTenant('renderCannedReply'), () => {
      it('answers NOT_FOUND for the reply and for the conversation, and counts nothing', async () => {
        const input = { cannedReplyId: replyId, conversationId: convId };
        expect(await stranger.client.code(RENDER, { input })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(RENDER, { input })).toBe('NOT_FOUND');
        // The stranger's own conversation with our reply, and our conversation with a made-up reply.
        const theirs = await seedKnowledgeAgency(t, ['en'], 1);
        const theirConv = await customerAsks(t, theirs, 'Hi');
        expect(
          await theirs.owner.client.code(RENDER, {
            input: { cannedReplyId: replyId, conversationId: theirConv.id },
          }),
        ).toBe('NOT_FOUND');
        expect(
          await owner.client.code(RENDER, { input: { cannedReplyId: 'not-a-uuid', conversationId: convId } }),
        ).toBe('NOT_FOUND');
        expect(
          (await t.ownerQuery(`SELECT usage_count FROM canned_replies WHERE id = $1`, [replyId]))[0]
            .usage_count,
        ).toBe(0);
      });
    });
  });
});
