import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPLY, waitForFinalStatus } from '../outbound/outbound-support';
import { Pipeline, SignedUp, startPipeline } from '../support/pipeline';
import { FakeXApi, xRateLimited } from '../fakes/x-api';
import {
  postToX,
  X_FIXTURE_ACCOUNT as FIXTURE_ACCOUNT,
  X_FIXTURE_CUSTOMER as CUSTOMER,
  xTweet,
} from './x.support';
import { xSign } from '../../libs/channels/src/connectors/x/x-signature';

const SECRET = 'x-consumer-secret-e2e';

/**
 * X end to end: signed Account Activity deliveries → /webhooks/x → inbound_events → ingest →
 * contact, conversation, message rows; an agent's reply → the fake X API.
 */
describe('X connector end to end', () => {
  let fake: FakeXApi;
  let p: Pipeline;
  let a: SignedUp;
  let account: string;
  let channelId: string;

  /** A fixture re-addressed to this run's account (channel routes are global across runs). */
  const fixture = (name: string) =>
    JSON.parse(
      readFileSync(join(__dirname, '../fixtures/x', name), 'utf8')
        .split(FIXTURE_ACCOUNT)
        .join(account),
    );
  const post = (body: unknown, headers?: Record<string, string>) => postToX(p, SECRET, body, headers);
  const deliver = async (name: string) => {
    expect((await post(fixture(name))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
  };
  const deliverBody = async (body: unknown) => {
    expect((await post(body)).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
  };
  const tweet = (id: string, from: string, text: string, replyTo?: { id: string; to: string }) =>
    xTweet(account, id, from, text, replyTo);
  const messageRow = async (externalId: string) =>
    (
      await p.t.ownerQuery(
        `SELECT m.*, c.thread_key, c.kind, c.contact_id AS conv_contact FROM messages m
           JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
          WHERE m.agency_id = $1 AND m.channel_id = $2 AND m.external_id = $3`,
        [a.agencyId, channelId, externalId],
      )
    )[0];

  beforeAll(async () => {
    fake = await new FakeXApi().start();
    p = await startPipeline({
      X_CONSUMER_SECRET: SECRET,
      X_API_URL: fake.url,
      SWEEP_AFTER_SECONDS: '3600',
      PLATFORM_TIMEOUT_MS: '1000',
    });
    a = await p.signUp('X agency');
    const brandId = await p.createBrand(a);
    account = `4${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const channel = await p.connectChannel(a, brandId, 'X', account, { accessToken: 'x-user-token' });
    channelId = channel.id;
  });
  afterAll(async () => {
    await p?.close();
    await fake?.stop();
  });

  it('answers the CRC with the response_token', async () => {
    const res = await fetch(`${p.t.baseUrl}/webhooks/x?crc_token=challenge-42`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_token: xSign(SECRET, 'challenge-42') });
  });

  it('refuses a wrong or missing signature and writes nothing', async () => {
    const before = await p.t.count('inbound_events');
    const body = fixture('mention-tweet.json');
    const bad = await post(body, {
      'content-type': 'application/json',
      'x-twitter-webhooks-signature': xSign('not-the-secret', JSON.stringify(body)),
    });
    expect(bad.status).toBe(403);
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(401);
    expect(await p.t.count('inbound_events')).toBe(before);
    expect(await p.t.count('messages')).toBe(0);
  });

  it('a mention → MENTION conversation, contact with its X identity, inbound message with media', async () => {
    await deliver('mention-tweet.json');
    const m = await messageRow('1860000000000000001');
    expect(m).toMatchObject({
      direction: 'INBOUND',
      visibility: 'PUBLIC',
      kind: 'MENTION',
      thread_key: 'mention:1860000000000000001',
      body: "@CaredeskBrand my order #4411 still hasn't shipped, can you help?",
    });
    expect(m.attachments).toEqual([
      expect.objectContaining({ type: 'IMAGE', url: 'https://pbs.twimg.com/media/FxOrder4411.jpg' }),
    ]);
    const [identity] = await p.t.ownerQuery(
      `SELECT * FROM contact_identities WHERE agency_id = $1 AND platform = 'X' AND external_user_id = $2`,
      [a.agencyId, CUSTOMER],
    );
    expect(identity).toMatchObject({
      username: 'dana_c',
      display_name: 'Dana Customer',
      contact_id: m.conv_contact,
    });
  });

  it("the brand's own reply and the customer's follow-up join the same conversation; 3 deliveries = 1 message", async () => {
    await deliver('own-tweet.json');
    await deliver('reply-tweet.json');
    await deliver('reply-tweet.json');
    await deliver('reply-tweet.json');
    const first = await messageRow('1860000000000000001');
    const own = await messageRow('1860000000000000002');
    const reply = await messageRow('1860000000000000003');
    expect(own).toMatchObject({ direction: 'OUTBOUND', conversation_id: first.conversation_id });
    expect(reply).toMatchObject({ direction: 'INBOUND', conversation_id: first.conversation_id });
    expect(
      await p.t.count('messages WHERE agency_id = $1 AND external_id = $2', [
        a.agencyId,
        '1860000000000000003',
      ]),
    ).toBe(1);
  });

  it('two customers answering the same brand tweet → two conversations, each with its own contact', async () => {
    const brandTweet = '1860000000000000500'; // a broadcast tweet of the brand: never stored
    const eli = '2223334445556667778';
    await deliverBody(
      tweet('1860000000000000501', CUSTOMER, 'where is my order', { id: brandTweet, to: account }),
    );
    await deliverBody(tweet('1860000000000000502', eli, 'mine too', { id: brandTweet, to: account }));
    // The brand answers Dana; Eli answers that reply of the brand's: still Eli's own matter.
    await deliverBody(
      tweet('1860000000000000503', account, '@u6667 on it', { id: '1860000000000000501', to: CUSTOMER }),
    );
    await deliverBody(
      tweet('1860000000000000504', eli, 'and me?', { id: '1860000000000000503', to: account }),
    );
    const dana = await messageRow('1860000000000000501');
    const eliFirst = await messageRow('1860000000000000502');
    const answer = await messageRow('1860000000000000503');
    const eliSecond = await messageRow('1860000000000000504');
    expect(eliFirst.conversation_id).not.toBe(dana.conversation_id);
    expect(eliFirst.conv_contact).not.toBe(dana.conv_contact);
    expect(answer).toMatchObject({ direction: 'OUTBOUND', conversation_id: dana.conversation_id });
    expect(eliSecond.conversation_id).not.toBe(dana.conversation_id);
    expect(eliSecond.conv_contact).toBe(eliFirst.conv_contact);
  });

  it("customer → brand reply → customer reply stays one conversation when the brand's reply is delivered first", async () => {
    const mention = '1860000000000000601';
    const answer = '1860000000000000602';
    const followUp = '1860000000000000603';
    await deliverBody(tweet(answer, account, '@u6667 sorry!', { id: mention, to: CUSTOMER }));
    await deliverBody(tweet(mention, CUSTOMER, '@CaredeskBrand broken again'));
    await deliverBody(tweet(followUp, CUSTOMER, 'thanks', { id: answer, to: account }));
    await deliverBody(tweet(followUp, CUSTOMER, 'thanks', { id: answer, to: account }));
    const rows = await Promise.all([mention, answer, followUp].map(messageRow));
    expect(new Set(rows.map((r) => r.conversation_id)).size).toBe(1);
    expect(rows.map((r) => r.direction)).toEqual(['INBOUND', 'OUTBOUND', 'INBOUND']);
    expect(rows[0]).toMatchObject({ thread_key: `mention:${mention}`, conv_contact: rows[0].conv_contact });
    const [conv] = await p.t.ownerQuery(`SELECT status FROM conversations WHERE agency_id = $1 AND id = $2`, [
      a.agencyId,
      rows[0].conversation_id,
    ]);
    // Created RESOLVED by the brand's reply, reopened by the customer's mention.
    expect(conv.status).toBe('OPEN');
  });

  it('a DM and its echo → one DM conversation with the customer, inbound then outbound', async () => {
    await deliver('dm-in.json');
    await deliver('dm-echo.json');
    const dmIn = await messageRow('1860000000000000100');
    const echo = await messageRow('1860000000000000102');
    expect(dmIn).toMatchObject({
      kind: 'DM',
      visibility: 'PRIVATE',
      direction: 'INBOUND',
      thread_key: `dm:${CUSTOMER}`,
    });
    expect(echo).toMatchObject({ direction: 'OUTBOUND', conversation_id: dmIn.conversation_id });
    // The same person on X is one contact across the mention and the DM.
    expect(dmIn.conv_contact).toBe((await messageRow('1860000000000000001')).conv_contact);
  });

  it('X answering 500, then 429 with x-rate-limit-reset → retried, sent once', async () => {
    const conv = (await messageRow('1860000000000000100')).conversation_id;
    fake.reset();
    fake.failNext({ status: 500, body: { title: 'Internal Server Error', status: 500 } });
    fake.failNext(xRateLimited(1));
    const { replyToConversation } = await a.client.ok(REPLY, {
      input: { conversationId: conv, body: 'Retry me' },
    });
    const row = await waitForFinalStatus(p.t, replyToConversation.id, 30_000);
    expect(row.status).toBe('SENT');
    expect(fake.requests).toHaveLength(3);
    expect(row.external_id).toMatch(/^\d+$/);
  });

  describe('an answer lost after X accepted the send: reconciled, never sent twice', () => {
    const settled = (id: string) => waitForFinalStatus(p.t, id, 30_000);
    const posts = () => fake.requests.filter((r) => r.method === 'POST');

    it('a tweet reply (its text given back &-escaped, with the link as t.co)', async () => {
      const conv = (await messageRow('1860000000000000001')).conversation_id;
      fake.reset();
      fake.failNext('accept-then-hang');
      const body = 'Fixed & shipped <3 see https://example.com/track?id=1';
      const { replyToConversation } = await a.client.ok(REPLY, { input: { conversationId: conv, body } });
      const row = await settled(replyToConversation.id);
      expect(row.status).toBe('SENT');
      expect(posts()).toHaveLength(1);
      expect(row.external_id).toBe(fake.tweets.at(-1)!.id);
      expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    });

    it('a DM', async () => {
      const conv = (await messageRow('1860000000000000100')).conversation_id;
      fake.reset();
      fake.failNext('accept-then-hang');
      const { replyToConversation } = await a.client.ok(REPLY, {
        input: { conversationId: conv, body: 'Your refund is on its way' },
      });
      const row = await settled(replyToConversation.id);
      expect(row.status).toBe('SENT');
      expect(posts()).toHaveLength(1);
      expect(row.external_id).toBe(fake.dms.at(-1)!.id);
      expect(fake.requests[1].url).toMatch(new RegExp(`^/2/dm_conversations/with/${CUSTOMER}/dm_events\\?`));
    });

    it('a timeout before X created anything: the lookup finds nothing new, so it is sent (once)', async () => {
      const conv = (await messageRow('1860000000000000100')).conversation_id;
      fake.reset();
      fake.failNext('hang');
      const { replyToConversation } = await a.client.ok(REPLY, {
        input: { conversationId: conv, body: 'Second try goes through' },
      });
      const row = await settled(replyToConversation.id);
      expect(row.status).toBe('SENT');
      expect(posts()).toHaveLength(2);
      expect(fake.dms.filter((d) => d.text === 'Second try goes through')).toHaveLength(1);
    });
  });

  it('another agency sees none of it and cannot reply to it (NOT_FOUND)', async () => {
    const b = await p.signUp('Other agency');
    const brandB = await p.createBrand(b);
    await p.connectChannel(b, brandB, 'X', `5${Date.now()}`, { accessToken: 'other-token' });
    expect(await p.t.count('messages WHERE agency_id = $1', [b.agencyId])).toBe(0);
    expect(await p.t.count('inbound_events WHERE agency_id = $1', [b.agencyId])).toBe(0);
    const conv = (await messageRow('1860000000000000001')).conversation_id;
    const res = await b.client.request(REPLY, { input: { conversationId: conv, body: 'not yours' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a tweet deletion marks the message deleted', async () => {
    await deliver('tweet-delete.json');
    expect((await messageRow('1860000000000000003')).deleted_at).not.toBeNull();
  });

  it('an agent reply to the mention → POST /2/tweets in reply to the tweet, with the channel token', async () => {
    const conv = (await messageRow('1860000000000000001')).conversation_id;
    fake.reset();
    await a.client.ok(REPLY, { input: { conversationId: conv, body: 'We are on it, Dana!' } });
    const deadline = Date.now() + 20_000;
    while (fake.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests).toHaveLength(1);
    const [r] = fake.requests;
    expect(r).toMatchObject({ method: 'POST', url: '/2/tweets' });
    expect(r.headers.authorization).toBe('Bearer x-user-token');
    expect(r.body.text).toBe('We are on it, Dana!');
    // The customer's follow-up was deleted, so the reply answers the mention itself.
    expect(r.body.reply).toEqual({ in_reply_to_tweet_id: '1860000000000000001' });
  });

  it('an agent reply in the DM conversation → a DM to the customer', async () => {
    const conv = (await messageRow('1860000000000000100')).conversation_id;
    fake.reset();
    await a.client.ok(REPLY, { input: { conversationId: conv, body: 'Tracking number: 1Z999' } });
    const deadline = Date.now() + 20_000;
    while (fake.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', `/2/dm_conversations/with/${CUSTOMER}/messages`, { text: 'Tracking number: 1Z999' }],
    ]);
  });
});
