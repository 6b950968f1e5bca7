import { InboxAgency } from '../inbox/conversations.support';
import { DUPLICATE_BRAND } from '../brands/brand-helpers';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { createMember, Member } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import {
  agentReplies,
  CANNED_REPLIES,
  CREATE_ENTRY,
  CREATE_REPLY,
  customerAsks,
  DELETE_ENTRY,
  ENTRIES,
  SAVE_REPLY,
  seedKnowledgeAgency,
  UPDATE_ENTRY,
  variant,
} from './knowledge.support';

describe('knowledge bank', () => {
  let t: TestApp;
  let a: InboxAgency;
  let owner: SignedUp;
  let manager: Member;
  let agent: Member;
  let brandId: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await seedKnowledgeAgency(t, ['nb-NO', 'en']);
    owner = a.owner;
    brandId = a.brands[0].id;
    manager = await createMember(t, owner.agencyId, 'MANAGER', [brandId]);
    agent = await createMember(t, owner.agencyId, 'AGENT', [brandId]);
  });
  afterAll(() => t.close());

  const create = async (input: Record<string, unknown>, client = manager.client) =>
    (await client.ok(CREATE_ENTRY, { input: { brandId, ...input } })).createKnowledgeEntry;

  it("creates entries (AGENT and above); the language defaults to the brand's first one", async () => {
    const e = await create(
      {
        question: ' Hvor lang er leveringstiden? ',
        answer: 'Vanligvis 2–4 virkedager.',
        tags: ['levering', 'Levering'],
      },
      agent.client,
    );
    expect(e).toMatchObject({
      question: 'Hvor lang er leveringstiden?',
      language: 'nb-NO',
      tags: ['levering'],
    });
    expect(e.sourceMessageId).toBeNull();
    const m = await create({
      question: 'Czy wysyłacie za granicę?',
      answer: 'Tak, do całej UE.',
      language: 'pl',
    });
    expect(m.language).toBe('pl');
    // Agents' inbox work is not audited; managers' writes are.
    expect(
      await t.count(`audit_events WHERE action = 'knowledge_entry.create' AND entity_id = $1`, [e.id]),
    ).toBe(0);
    expect(
      await t.count(`audit_events WHERE action = 'knowledge_entry.create' AND entity_id = $1`, [m.id]),
    ).toBe(1);
  });

  it('rejects blank text and bad languages with BAD_USER_INPUT; CLIENT_VIEWERs may not even read', async () => {
    expect(await manager.client.code(CREATE_ENTRY, { input: { brandId, question: ' ', answer: 'x' } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await manager.client.code(CREATE_ENTRY, {
        input: { brandId, question: 'q', answer: 'a', language: '??' },
      }),
    ).toBe('BAD_USER_INPUT');
    const viewer = await createMember(t, owner.agencyId, 'CLIENT_VIEWER', [brandId]);
    expect(await viewer.client.code(ENTRIES, { brandId })).toBe('FORBIDDEN');
  });

  it('lets MANAGER and above update and delete (audited), not agents', async () => {
    const e = await create({ question: 'Har dere gavekort?', answer: 'Ja.' });
    expect(await agent.client.code(UPDATE_ENTRY, { input: { id: e.id, answer: 'Nei.' } })).toBe('FORBIDDEN');
    expect(await agent.client.code(DELETE_ENTRY, { id: e.id })).toBe('FORBIDDEN');
    const { updateKnowledgeEntry: u } = await manager.client.ok(UPDATE_ENTRY, {
      input: { id: e.id, answer: 'Ja, fra 100 kr.', tags: ['gavekort'] },
    });
    expect(u).toMatchObject({
      question: 'Har dere gavekort?',
      answer: 'Ja, fra 100 kr.',
      tags: ['gavekort'],
    });
    const [audit] = await t.ownerQuery(
      `SELECT changes FROM audit_events WHERE action = 'knowledge_entry.update' AND entity_id = $1`,
      [e.id],
    );
    expect(audit.changes.answer).toEqual({ from: 'Ja.', to: 'Ja, fra 100 kr.' });
    expect((await manager.client.ok(DELETE_ENTRY, { id: e.id })).deleteKnowledgeEntry).toBe(true);
    expect(await t.count('knowledge_entries WHERE id = $1', [e.id])).toBe(0);
    expect(
      await t.count(`audit_events WHERE action = 'knowledge_entry.delete' AND entity_id = $1`, [e.id]),
    ).toBe(1);
  });

  it('searches question, tags and answer by word prefix, with or without diacritics, and by similar questions', async () => {
    const l = await seedKnowledgeAgency(t, ['pl'], 1);
    const add = (question: string, answer: string, tags: string[] = []) =>
      l.owner.client.ok(CREATE_ENTRY, { input: { brandId: l.brands[0].id, question, answer, tags } });
    await add('Jak zwrócić zamówienie?', 'Zwrot jest bezpłatny przez 30 dni.', ['zwroty']);
    await add('Czy wysyłacie za granicę?', 'Tak, do całej Unii.');
    await add('Khi nào đơn hàng được giao?', 'Trong 3-5 ngày.');
    const questions = async (search: string) =>
      (await l.owner.client.ok(ENTRIES, { brandId: l.brands[0].id, search })).knowledgeEntries.nodes.map(
        (n: any) => n.question,
      );
    expect(await questions('zwrocic')).toEqual(['Jak zwrócić zamówienie?']);
    expect(await questions('zwroty')).toEqual(['Jak zwrócić zamówienie?']);
    expect(await questions('bezpłatny')).toEqual(['Jak zwrócić zamówienie?']);
    expect(await questions('don hang')).toEqual(['Khi nào đơn hàng được giao?']);
    expect(await questions('wysylacie granice')).toEqual(['Czy wysyłacie za granicę?']);
    expect(await questions('Czy wysylacie za granice')).toEqual(['Czy wysyłacie za granicę?']);
    const page = (await l.owner.client.ok(ENTRIES, { brandId: l.brands[0].id, first: 2 })).knowledgeEntries;
    expect(page.nodes.map((n: any) => n.question)).toEqual([
      'Khi nào đơn hàng được giao?',
      'Czy wysyłacie za granicę?',
    ]);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  describe('saving a reply as an entry', () => {
    it("takes the reply as the answer and the customer's message before it as the question, in its language", async () => {
      const conv = await customerAsks(t, a, 'Kan jeg bytte størrelse på skoene?', { language: 'nb' });
      const replyId = await agentReplies(t, a, conv.id, 'Ja, du kan bytte innen 30 dager.');
      // A later customer message is not what the reply answered.
      await t.ownerQuery(
        `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, body, created_at)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, 'INBOUND', 'Takk!', now() + interval '1 minute')`,
        [owner.agencyId, brandId, a.brands[0].channelId, conv.id],
      );
      const { saveReplyAsKnowledgeEntry: e } = await agent.client.ok(SAVE_REPLY, {
        input: { messageId: replyId, tags: ['bytte'] },
      });
      expect(e).toMatchObject({
        brandId,
        question: 'Kan jeg bytte størrelse på skoene?',
        answer: 'Ja, du kan bytte innen 30 dager.',
        language: 'nb',
        tags: ['bytte'],
        sourceMessageId: replyId,
      });
      expect(await agent.client.code(SAVE_REPLY, { input: { messageId: replyId } })).toBe('CONFLICT');
    });

    it('uses a question when given, and refuses a customer message or a reply with nothing before it', async () => {
      const conv = await customerAsks(t, a, 'Hello?', { language: 'en' });
      const replyId = await agentReplies(t, a, conv.id, 'We ship worldwide.');
      const { saveReplyAsKnowledgeEntry: e } = await manager.client.ok(SAVE_REPLY, {
        input: { messageId: replyId, question: 'Do you ship abroad?' },
      });
      expect(e).toMatchObject({
        question: 'Do you ship abroad?',
        answer: 'We ship worldwide.',
        language: 'en',
      });
      expect(await manager.client.code(SAVE_REPLY, { input: { messageId: conv.messageId } })).toBe(
        'BAD_USER_INPUT',
      );
      await t.ownerQuery(`DELETE FROM messages WHERE id = $1`, [conv.messageId]);
      const lone = await agentReplies(t, a, conv.id, 'Anything else?');
      expect(await manager.client.code(SAVE_REPLY, { input: { messageId: lone } })).toBe('BAD_USER_INPUT');
    });
  });

  it('copies canned replies (usage reset) and entries (without their source) when the brand is duplicated', async () => {
    const d = await seedKnowledgeAgency(t, ['en'], 1);
    const source = d.brands[0].id;
    const { createCannedReply: r } = await d.owner.client.ok(CREATE_REPLY, {
      input: {
        brandId: source,
        title: 'Thanks',
        shortcut: 'thx',
        variants: [variant('en', 'Thanks!'), variant('vi', 'Cảm ơn!')],
      },
    });
    await t.ownerQuery(`UPDATE canned_replies SET usage_count = 7 WHERE id = $1`, [r.id]);
    await d.owner.client.ok(CREATE_ENTRY, { input: { brandId: source, question: 'Q?', answer: 'A.' } });
    const conv = await customerAsks(t, d, 'Do you ship abroad?');
    await d.owner.client.ok(SAVE_REPLY, { input: { messageId: await agentReplies(t, d, conv.id, 'Yes.') } });

    const { duplicateBrand } = await d.owner.client.ok(DUPLICATE_BRAND, { brandId: source, name: 'Copy' });
    const replies = (await d.owner.client.ok(CANNED_REPLIES, { brandId: duplicateBrand.id })).cannedReplies
      .nodes;
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ title: 'Thanks', shortcut: 'thx', usageCount: 0 });
    expect(replies[0].id).not.toBe(r.id);
    expect(replies[0].variants.map((v: any) => v.language)).toEqual(['en', 'vi']);
    const entries = (await d.owner.client.ok(ENTRIES, { brandId: duplicateBrand.id })).knowledgeEntries.nodes;
    expect(entries.map((e: any) => [e.question, e.sourceMessageId]).sort()).toEqual([
      ['Do you ship abroad?', null],
      ['Q?', null],
    ]);
    expect(await t.count('knowledge_entries WHERE brand_id = $1', [source])).toBe(2);
  });

  describe('cross-tenant and out-of-scope brands', () => {
    let stranger: SignedUp;
    let outOfScope: Member;
    let entryId: string;
    let replyMessageId: string;
    beforeAll(async () => {
      stranger = await signUpAgency(t.gql, 'Stranger');
      outOfScope = await createMember(t, owner.agencyId, 'MANAGER', [a.brands[1].id]);
      entryId = (await create({ question: 'Secret?', answer: 'Secret.' })).id;
      const conv = await customerAsks(t, a, 'Where is my order?');
      replyMessageId = await agentReplies(t, a, conv.id, 'On its way.');
    });

    describe(crossTenant('knowledgeEntries'), () => {
      it('answers NOT_FOUND', async () => {
        expect(await stranger.client.code(ENTRIES, { brandId })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(ENTRIES, { brandId })).toBe('NOT_FOUND');
      });
    });

    describe(crossTenant('createKnowledgeEntry'), () => {
      it('answers NOT_FOUND and writes nothing', async () => {
        const input = { brandId, question: 'Intruder?', answer: 'x' };
        expect(await stranger.client.code(CREATE_ENTRY, { input })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(CREATE_ENTRY, { input })).toBe('NOT_FOUND');
        expect(await t.count(`knowledge_entries WHERE question = 'Intruder?'`)).toBe(0);
      });
    });

    describe(crossTenant('updateKnowledgeEntry'), () => {
      it('answers NOT_FOUND and changes nothing', async () => {
        const input = { id: entryId, answer: 'Leaked' };
        expect(await stranger.client.code(UPDATE_ENTRY, { input })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(UPDATE_ENTRY, { input })).toBe('NOT_FOUND');
        expect(await t.count(`knowledge_entries WHERE answer = 'Leaked'`)).toBe(0);
      });
    });

    describe(crossTenant('deleteKnowledgeEntry'), () => {
      it('answers NOT_FOUND and deletes nothing', async () => {
        expect(await stranger.client.code(DELETE_ENTRY, { id: entryId })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(DELETE_ENTRY, { id: entryId })).toBe('NOT_FOUND');
        expect(await manager.client.code(DELETE_ENTRY, { id: 'nope' })).toBe('NOT_FOUND');
        expect(await t.count('knowledge_entries WHERE id = $1', [entryId])).toBe(1);
      });
    });

    describe(crossTenant('saveReplyAsKnowledgeEntry'), () => {
      it('answers NOT_FOUND and writes nothing', async () => {
        const input = { messageId: replyMessageId };
        expect(await stranger.client.code(SAVE_REPLY, { input })).toBe('NOT_FOUND');
        expect(await outOfScope.client.code(SAVE_REPLY, { input })).toBe('NOT_FOUND');
        expect(await t.count('knowledge_entries WHERE source_message_id = $1', [replyMessageId])).toBe(0);
      });
    });
  });
});
