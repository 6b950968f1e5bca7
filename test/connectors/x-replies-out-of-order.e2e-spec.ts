import { NormalizedMessage, Platform } from '@caredesk/channels';
import { LiveEvents, ThreadingTarget } from '@caredesk/inbox';
import { normalizeX } from '../../libs/channels/src/connectors/x/x-normalize';
import { STRANDED_REPLIES_SQL } from '../../libs/inbox/src/threading/stranded-replies';
import { FakeXApi } from '../fakes/x-api';
import { CONVERSATION } from '../inbox/conversations.support';
import { CONVERSATION_EVENTS, eventsOf, openSocket, untilListening } from '../live/live-support';
import { Pipeline, SignedUp, startPipeline } from '../support/pipeline';
import { addBulkMessages, withPlans } from '../support/query-plans';
import { placeAtTheSameMoment } from '../support/threading-race';
import { postToX, xTweet } from './x.support';

const SECRET = 'x-out-of-order-secret-e2e';
const DANA = '1112223334445556667';
const ELI = '2223334445556667778';
const m = (name: string, input: string, fields = 'id') =>
  `mutation($input: ${input}!) { ${name}(input: $input) { ${fields} } }`;
const ADD_NOTE = m('addNote', 'AddNoteInput');
const ADD_TAGS = m('addConversationTags', 'ConversationTagsInput');
const ASSIGN = m('assignConversation', 'AssignConversationInput');
const PRIORITY = m('setConversationPriority', 'SetConversationPriorityInput');

/**
 * X mentions delivered out of order (webhook retries, two workers): a reply processed before the tweet
 * it answers starts a conversation of its own, and is folded into the right one when that tweet is
 * stored — through signed deliveries and the real worker, and as two transactions at the same moment.
 *
 * Tweet ids: each test its own hundred; the last six digits are the second it was written.
 */
describe('X replies delivered before the tweet they answer', () => {
  let fake: FakeXApi;
  let p: Pipeline;
  let a: SignedUp;
  let brandId: string;
  let account: string;
  let channelId: string;

  const deliver = async (...bodies: unknown[]) => {
    for (const body of bodies) {
      expect((await postToX(p, SECRET, body)).status).toBe(200);
      await p.waitForEvents({ agencyId: a.agencyId });
    }
  };
  const tweet = (id: string, from: string, text: string, replyTo?: { id: string; to: string }) =>
    xTweet(account, id, from, text, replyTo);
  /** The brand answering `id` of `customer`. */
  const answer = (id: string, to: { id: string; customer: string }, text = 'on it') =>
    tweet(id, account, text, { id: to.id, to: to.customer });
  const messageOf = async (externalId: string, agencyId = a.agencyId) =>
    (
      await p.t.ownerQuery(`SELECT * FROM messages WHERE agency_id = $1 AND external_id = $2`, [
        agencyId,
        externalId,
      ])
    )[0];
  const conversation = async (id: string) =>
    (await p.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [id]))[0];
  const messagesIn = async (conversationId: string) =>
    (
      await p.t.ownerQuery(
        `SELECT external_id FROM messages WHERE conversation_id = $1 ORDER BY written_at, id`,
        [conversationId],
      )
    ).map((r) => r.external_id);
  /** Rows anywhere that still name `conversationId`: every conversation_id / linked_conversation_id column. */
  const pointingAt = async (conversationId: string) => {
    const columns = await p.t.ownerQuery<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
          AND c.column_name IN ('conversation_id', 'linked_conversation_id')`,
    );
    expect(columns.map((c) => c.table_name)).toEqual(
      expect.arrayContaining(['messages', 'notes', 'conversation_tags', 'conversations']),
    );
    let n = await p.t.count('conversations WHERE id = $1', [conversationId]);
    for (const c of columns)
      n += await p.t.count(`${c.table_name} WHERE ${c.column_name} = $1`, [conversationId]);
    return n;
  };

  beforeAll(async () => {
    fake = await new FakeXApi().start();
    p = await startPipeline({ X_CONSUMER_SECRET: SECRET, X_API_URL: fake.url, SWEEP_AFTER_SECONDS: '3600' });
    a = await p.signUp('X order agency');
    brandId = await p.createBrand(a);
    account = `4${Date.now()}${Math.floor(Math.random() * 1000)}`;
    channelId = (await p.connectChannel(a, brandId, 'X', account, { accessToken: 'x-token' })).id;
  });
  afterAll(async () => {
    await p?.close();
    await fake?.stop();
  });

  it("the customer's answer to our reply, processed before our reply → one conversation, in written order", async () => {
    const [t1, b, c2] = ['1870000000000000101', '1870000000000000102', '1870000000000000103'];
    await deliver(tweet(t1, DANA, '@CaredeskBrand my parcel is lost'));
    await deliver(tweet(c2, DANA, 'still nothing', { id: b, to: account }));
    const child = (await messageOf(c2)).conversation_id;
    expect((await conversation(child)).thread_key).toBe(`mention:${c2}`);

    await deliver(answer(b, { id: t1, customer: DANA }));
    const k1 = (await messageOf(t1)).conversation_id;
    expect(await messagesIn(k1)).toEqual([t1, b, c2]);
    const last = await messageOf(c2);
    expect(await conversation(k1)).toMatchObject({
      thread_key: `mention:${t1}`,
      status: 'OPEN',
      last_message_id: last.id,
      last_message_at: last.written_at,
      last_inbound_at: last.written_at,
      // The customer wrote after our reply: waiting since then.
      awaiting_reply_since: last.written_at,
    });
    expect(await p.t.count('conversations WHERE agency_id = $1', [a.agencyId])).toBe(1);
    expect(await pointingAt(child)).toBe(0);

    const { conversation: read } = await a.client.ok(CONVERSATION, { id: k1 });
    // Newest first, as the inbox pages them.
    expect(read.messages.edges.map((e: any) => e.node.body)).toEqual([
      'still nothing',
      'on it',
      '@CaredeskBrand my parcel is lost',
    ]);
    expect(read.lastMessage.id).toBe(last.id);
    expect((await a.client.request(CONVERSATION, { id: child })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
  });

  it("another customer's answer to our reply to Dana stays their own conversation", async () => {
    const [t1, b, e2] = ['1870000000000000201', '1870000000000000202', '1870000000000000203'];
    await deliver(tweet(t1, DANA, '@CaredeskBrand where is my refund'));
    await deliver(tweet(e2, ELI, 'same here', { id: b, to: account }));
    await deliver(answer(b, { id: t1, customer: DANA }));
    const dana = (await messageOf(t1)).conversation_id;
    const eli = (await messageOf(e2)).conversation_id;
    expect(eli).not.toBe(dana);
    expect(await messagesIn(dana)).toEqual([t1, b]);
    expect(await messagesIn(eli)).toEqual([e2]);
  });

  it('the early conversation’s note, tags, assignee and priority are carried over; subscribers are told', async () => {
    const [t1, b, c2] = ['1870000000000000301', '1870000000000000302', '1870000000000000303'];
    await deliver(tweet(t1, DANA, '@CaredeskBrand wrong size delivered'));
    await deliver(tweet(c2, DANA, 'can I swap it?', { id: b, to: account }));
    const k1 = (await messageOf(t1)).conversation_id;
    const child = (await messageOf(c2)).conversation_id;
    const { addNote } = await a.client.ok(ADD_NOTE, {
      input: { conversationId: child, body: 'Asked the warehouse' },
    });
    await a.client.ok(ADD_TAGS, { input: { conversationId: child, tags: ['Exchange', 'Sizing'] } });
    await a.client.ok(ADD_TAGS, { input: { conversationId: k1, tags: ['sizing'] } });
    await a.client.ok(ASSIGN, { input: { conversationId: child, userId: a.userId } });
    await a.client.ok(PRIORITY, { input: { conversationId: child, priority: 'HIGH' } });

    const socket = openSocket(p.t.baseUrl, a.token);
    try {
      const sub = socket.subscribe(CONVERSATION_EVENTS);
      await untilListening(p.t.app.get(LiveEvents), sub, a.agencyId, brandId);
      await deliver(answer(b, { id: t1, customer: DANA }));
      await sub.until((i) => i.conversationEvents.change === 'MERGED');
      await sub.until((i) => i.conversationEvents.change === 'MESSAGES');
      expect(eventsOf(sub).filter((e) => e.type === 'CONVERSATION_CHANGED')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ conversationId: k1, change: 'MESSAGES', brandId }),
          expect.objectContaining({ conversationId: child, change: 'MERGED', brandId }),
        ]),
      );
    } finally {
      await socket.close();
    }

    const { conversation: read } = await a.client.ok(CONVERSATION, { id: k1 });
    expect(read.notes).toEqual([expect.objectContaining({ id: addNote.id, body: 'Asked the warehouse' })]);
    expect(read.tags.map((x: any) => x.name).sort()).toEqual(['Exchange', 'Sizing']);
    expect(read).toMatchObject({ assignee: { id: a.userId }, priority: 'HIGH', status: 'OPEN' });
    expect(read.messages.edges).toHaveLength(3);
    expect(await pointingAt(child)).toBe(0);
    // The audit trail says where the folded conversation went (its earlier entries keep its id).
    const trail = await p.t.ownerQuery(
      `SELECT action, brand_id, actor_label, changes FROM audit_events WHERE agency_id = $1 AND entity_id = $2
        ORDER BY created_at`,
      [a.agencyId, child],
    );
    expect(trail.at(-1)).toEqual({
      action: 'conversation.merged',
      brand_id: brandId,
      actor_label: expect.stringMatching(/^system:/),
      changes: { mergedInto: k1 },
    });
  });

  it('our reply delivered before the tweet it answers, which follows an earlier reply → one conversation', async () => {
    const [t1, b1, c2, b2] = [
      '1870000000000000401',
      '1870000000000000402',
      '1870000000000000403',
      '1870000000000000404',
    ];
    await deliver(tweet(t1, DANA, '@CaredeskBrand the app crashes'), answer(b1, { id: t1, customer: DANA }));
    // Our answer to Dana's follow-up arrives first: a conversation keyed by the follow-up, resolved.
    await deliver(answer(b2, { id: c2, customer: DANA }, 'try version 2.1'));
    const early = (await messageOf(b2)).conversation_id;
    expect(await conversation(early)).toMatchObject({ thread_key: `mention:${c2}`, status: 'RESOLVED' });

    await deliver(tweet(c2, DANA, 'still crashing', { id: b1, to: account }));
    const k1 = (await messageOf(t1)).conversation_id;
    expect(await messagesIn(k1)).toEqual([t1, b1, c2, b2]);
    expect(await conversation(k1)).toMatchObject({
      status: 'OPEN',
      last_message_id: (await messageOf(b2)).id,
      awaiting_reply_since: null,
    });
    expect(await pointingAt(early)).toBe(0);
  });

  it("another agency's stored replies with the same tweet ids are left alone", async () => {
    const [t1, b, c2] = ['1870000000000000501', '1870000000000000502', '1870000000000000503'];
    const other = await p.signUp('Other X agency');
    const otherBrand = await p.createBrand(other);
    const otherAccount = `5${Date.now()}${Math.floor(Math.random() * 1000)}`;
    await p.connectChannel(other, otherBrand, 'X', otherAccount, { accessToken: 'other-token' });
    for (const body of [
      xTweet(otherAccount, t1, DANA, '@Other hello'),
      xTweet(otherAccount, c2, DANA, 'hello again', { id: b, to: otherAccount }),
    ]) {
      expect((await postToX(p, SECRET, body)).status).toBe(200);
    }
    await p.waitForEvents({ agencyId: other.agencyId });
    const before = await p.t.ownerQuery(`SELECT * FROM conversations WHERE agency_id = $1 ORDER BY id`, [
      other.agencyId,
    ]);
    expect(before).toHaveLength(2);

    await deliver(
      tweet(t1, DANA, '@CaredeskBrand hello'),
      tweet(c2, DANA, 'hello again', { id: b, to: account }),
    );
    await deliver(answer(b, { id: t1, customer: DANA }));
    expect(await messagesIn((await messageOf(t1)).conversation_id)).toEqual([t1, b, c2]);
    expect(
      await p.t.ownerQuery(`SELECT * FROM conversations WHERE agency_id = $1 ORDER BY id`, [other.agencyId]),
    ).toEqual(before);
    expect((await messageOf(c2, other.agencyId)).conversation_id).not.toBe(
      (await messageOf(t1, other.agencyId)).conversation_id,
    );
  });

  describe('the reply and the tweet it answers stored at the same moment (two transactions)', () => {
    const target = (): ThreadingTarget => ({
      channelId,
      brandId,
      platform: Platform.X,
      reopenWindowHours: 24,
    });
    const normalized = (body: ReturnType<typeof xTweet>) =>
      normalizeX(account, {
        kind: 'tweet_create',
        tweet: body.tweet_create_events[0] as any,
      })[0] as NormalizedMessage;
    const race = (first: NormalizedMessage, second: NormalizedMessage) =>
      placeAtTheSameMoment(p.t, a.agencyId, target(), first, second);

    it.each([
      ['the tweet first, the reply waiting', 'B', 600],
      ['the reply first, the tweet waiting', 'C2', 700],
    ])('%s → one conversation', async (_, firstOne, base) => {
      const id = (n: number) => `1870000000000000${base + n}`;
      const [t1, b, c2] = [id(1), id(2), id(3)];
      await deliver(tweet(t1, DANA, '@CaredeskBrand no confirmation mail'));
      const ours = normalized(answer(b, { id: t1, customer: DANA }));
      const theirs = normalized(tweet(c2, DANA, 'anything?', { id: b, to: account }));
      if (firstOne === 'B') await race(ours, theirs);
      else await race(theirs, ours);

      const k1 = (await messageOf(t1)).conversation_id;
      expect(await messagesIn(k1)).toEqual([t1, b, c2]);
      expect((await conversation(k1)).last_message_id).toBe((await messageOf(c2)).id);
      expect(
        await p.t.count(`conversations WHERE agency_id = $1 AND thread_key = ANY($2)`, [
          a.agencyId,
          [`mention:${b}`, `mention:${c2}`],
        ]),
      ).toBe(0);
    });
  });

  it("the look-up of a new message's stored replies is served by messages_parent_idx", async () => {
    await withPlans(p.t.ownerUrl, async (plan, owner) => {
      await addBulkMessages(owner, (await messageOf('1870000000000000102')).id);
      const ids = [[channelId], ['1870000000000000102']];
      const stranded = await plan(STRANDED_REPLIES_SQL, [a.agencyId, ...ids, ...ids, [], []]);
      expect(stranded).toMatch(/Index (Only )?Scan using messages_parent_idx on messages/);
      expect(stranded).toMatch(/Index (Only )?Scan using messages_external_key on messages/);
    });
  });
});
