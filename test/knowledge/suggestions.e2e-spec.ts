import { InboxAgency, statementCounter } from '../inbox/conversations.support';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { createMember, Member } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import {
  CREATE_ENTRY,
  CREATE_REPLY,
  customerAsks,
  seedKnowledgeAgency,
  SUGGESTIONS,
  variant,
} from './knowledge.support';

describe('suggestions for a conversation', () => {
  let t: TestApp;
  let a: InboxAgency;
  let owner: SignedUp;
  let agent: Member;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    a = await seedKnowledgeAgency(t);
    owner = a.owner;
    agent = await createMember(t, owner.agencyId, 'AGENT', [a.brands[0].id]);
    const entry = async (
      key: string,
      question: string,
      answer: string,
      language: string,
      tags: string[] = [],
    ) => {
      const { createKnowledgeEntry } = await owner.client.ok(CREATE_ENTRY, {
        input: { brandId: a.brands[0].id, question, answer, language, tags },
      });
      ids[key] = createKnowledgeEntry.id;
    };
    await entry(
      'track',
      'Where is my order? How can I track my package?',
      'Follow the tracking link in your shipping confirmation email.',
      'en',
      ['shipping'],
    );
    await entry(
      'refund',
      'How do I return an item and get a refund?',
      'Returns are free within 30 days.',
      'en',
    );
    await entry(
      'hours',
      'What are your opening hours?',
      'Monday to Friday, 9 to 17. Orders ship the same day.',
      'en',
    );
    await entry('pakke', 'Hvor er pakken min?', 'Du kan spore pakken med lenken i ordrebekreftelsen.', 'nb');
    await entry(
      'zwrot',
      'Jak zwrócić zamówienie?',
      'Zwrot jest bezpłatny przez 30 dni. Wyślij paczkę na nasz adres.',
      'pl',
    );
    await entry('paczka', 'Gdzie jest moja paczka?', 'Paczkę możesz śledzić przez link w e-mailu.', 'pl');
    await entry(
      'giao',
      'Khi nào đơn hàng của tôi được giao?',
      'Đơn hàng thường được giao trong 3-5 ngày.',
      'vi',
    );
    await entry('cua', 'Cửa hàng mở cửa lúc mấy giờ?', 'Từ 8 giờ đến 17 giờ.', 'vi');
    await entry('pro-en', 'What does Caredesk Pro cost?', 'See the price list.', 'en');
    await entry('pro-nb', 'Hva koster Caredesk Pro?', 'Se prislisten.', 'nb');
    // Another brand's entry never shows up.
    await owner.client.ok(CREATE_ENTRY, {
      input: {
        brandId: a.brands[1].id,
        question: 'Where is my package?',
        answer: 'Other brand.',
        language: 'en',
      },
    });
    const { createCannedReply } = await owner.client.ok(CREATE_REPLY, {
      input: {
        brandId: a.brands[0].id,
        title: 'Refund policy',
        shortcut: 'refund',
        variants: [variant('en', 'Refunds are issued within 5 days of receiving your return.')],
      },
    });
    ids.cannedRefund = createCannedReply.id;
  });
  afterAll(() => t.close());

  const suggest = async (body: string, language: string | null, first?: number) => {
    const conv = await customerAsks(t, a, body, { language });
    const { suggestions } = await agent.client.ok(SUGGESTIONS, { conversationId: conv.id, first });
    return suggestions as Array<{ kind: string; score: number; knowledgeEntry: any; cannedReply: any }>;
  };
  const idOf = (s: { knowledgeEntry: any; cannedReply: any }) => s.knowledgeEntry?.id ?? s.cannedReply?.id;

  it('puts the relevant entry first for a long English message (OR semantics, prefix stems)', async () => {
    const s = await suggest(
      "Hi there, I ordered a jacket from you two weeks ago and it still hasn't arrived. Where is my package? " +
        'Is there any way I can track it? Thanks a lot, Carla',
      'en',
    );
    expect(idOf(s[0])).toBe(ids.track);
    expect(s[0].kind).toBe('KNOWLEDGE_ENTRY');
    expect(s.map((x) => x.score)).toEqual([...s.map((x) => x.score)].sort((x, y) => y - x));
  });

  it('ranks entries and canned replies together', async () => {
    const s = await suggest('I want to return these shoes, how do refunds work?', 'en');
    expect(s.slice(0, 2).map(idOf).sort()).toEqual([ids.refund, ids.cannedRefund].sort());
    expect(s.find((x) => x.kind === 'CANNED_REPLY')?.cannedReply.shortcut).toBe('refund');
  });

  it('puts the relevant entry first for Norwegian, Polish (with and without diacritics) and Vietnamese messages', async () => {
    expect(idOf((await suggest('Hei! Hvor er pakken min? Jeg har ventet i to uker.', 'nb'))[0])).toBe(
      ids.pakke,
    );
    expect(
      idOf((await suggest('Dzień dobry, chciałabym zwrócić zamówienie, bo rozmiar nie pasuje.', 'pl'))[0]),
    ).toBe(ids.zwrot);
    expect(idOf((await suggest('dzien dobry, chcialabym zwrocic zamowienie', 'pl'))[0])).toBe(ids.zwrot);
    expect(idOf((await suggest('Gdzie jest moja paczka? Czekam już tydzień', 'pl'))[0])).toBe(ids.paczka);
    expect(idOf((await suggest('Bao giờ đơn hàng của tôi được giao vậy shop?', 'vi'))[0])).toBe(ids.giao);
    expect(idOf((await suggest('Cửa hàng mở cửa mấy giờ?', 'vi'))[0])).toBe(ids.cua);
  });

  it("prefers the conversation's language between equally good matches", async () => {
    expect(idOf((await suggest('Caredesk Pro?', 'nb'))[0])).toBe(ids['pro-nb']);
    expect(idOf((await suggest('Caredesk Pro?', 'en'))[0])).toBe(ids['pro-en']);
    expect(idOf((await suggest('Caredesk Pro?', 'no'))[0])).toBe(ids['pro-nb']);
  });

  it('answers at most `first`, only of the conversation brand, and nothing for a message of only greetings', async () => {
    const s = await suggest(
      'Where is my package? I want a refund or my money back. What are your opening hours?',
      'en',
      2,
    );
    expect(s).toHaveLength(2);
    const all = await suggest('package order refund hours', 'en', 20);
    expect(all.every((x) => x.knowledgeEntry?.question !== 'Where is my package?')).toBe(true);
    expect(await suggest('Hi, thanks!', 'en')).toEqual([]);
    expect(
      await agent.client.code(SUGGESTIONS, { conversationId: (await customerAsks(t, a, 'x')).id, first: 0 }),
    ).toBe('BAD_USER_INPUT');
  });

  it('uses the same number of SQL statements whatever `first` is', async () => {
    const conv = await customerAsks(
      t,
      a,
      'Where is my package? I want a refund. Opening hours? Caredesk Pro?',
      {
        language: 'en',
      },
    );
    const counter = statementCounter();
    try {
      const few = await counter.measure(() =>
        agent.client.ok(SUGGESTIONS, { conversationId: conv.id, first: 1 }),
      );
      const many = await counter.measure(() =>
        agent.client.ok(SUGGESTIONS, { conversationId: conv.id, first: 20 }),
      );
      expect(many.result.suggestions.length).toBeGreaterThan(3);
      // The auth guard's one (auth_membership: membership and brand scope), then conversation,
      // message, two rankings, entries, replies, variants.
      expect(many.data.length).toBe(8);
      expect(few.data.length).toBeLessThanOrEqual(8);
    } finally {
      counter.restore();
    }
  });

  describe(crossTenant('suggestions'), () => {
    let stranger: SignedUp;
    let outOfScope: Member;
    beforeAll(async () => {
      stranger = await signUpAgency(t.gql, 'Stranger');
      outOfScope = await createMember(t, owner.agencyId, 'AGENT', [a.brands[1].id]);
    });

    it('answers NOT_FOUND for another agency and an out-of-scope brand', async () => {
      const conv = await customerAsks(t, a, 'Where is my package?');
      expect(await stranger.client.code(SUGGESTIONS, { conversationId: conv.id })).toBe('NOT_FOUND');
      expect(await outOfScope.client.code(SUGGESTIONS, { conversationId: conv.id })).toBe('NOT_FOUND');
      expect(await agent.client.code(SUGGESTIONS, { conversationId: 'not-an-id' })).toBe('NOT_FOUND');
    });
  });
});
