import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeXApi, signedXDelivery } from '../fakes/x-api';
import { Pipeline, SignedUp, startPipeline } from '../support/pipeline';
import {
  X_FIXTURE_ACCOUNT as FIXTURE_ACCOUNT,
  X_FIXTURE_CUSTOMER as CUSTOMER,
} from '../connectors/x.support';
import { REPLY, waitFor, waitForFinalStatus } from './outbound-support';

const SECRET = 'x-consumer-secret-echo';
const MENTION = '1860000000000000001';

/**
 * The platform's echo of our own reply ingested BEFORE the send worker records the platform's
 * answer. X's echoes (the account's own tweet, its own DM) carry no idempotency key, so ingest stores
 * the echo as an OUTBOUND message of its own; recording the send must merge it into the reply: one
 * message with the platform id, no echo row, the conversation's last message pointing at a real row.
 * The fake X API creates the tweet / DM at once but holds its answer until the echo is ingested
 * (`accept-then-hold`), so the order is forced, not raced.
 */
describe("a reply's echo ingested before the send is recorded", () => {
  let fake: FakeXApi;
  let p: Pipeline;
  let a: SignedUp;
  let account: string;
  let channelId: string;

  const deliver = async (body: unknown) => {
    const signed = signedXDelivery(body, SECRET);
    const res = await fetch(`${p.t.baseUrl}/webhooks/x`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.rawBody,
    });
    expect(res.status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
  };
  const rowsWithId = (externalId: string) =>
    p.t.ownerQuery(`SELECT * FROM messages WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3`, [
      a.agencyId,
      channelId,
      externalId,
    ]);
  const conversation = async (id: string) =>
    (await p.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [id]))[0];
  const users = () => ({
    [CUSTOMER]: { id: CUSTOMER, name: 'Dana Customer', screen_name: 'dana_c' },
    [account]: { id: account, name: 'Caredesk Brand', screen_name: 'CaredeskBrand' },
  });

  /** Replies with the platform's answer held; answers the reply's id once X has created it. */
  const replyHeld = async (input: Record<string, unknown>, created: () => { id: string } | undefined) => {
    fake.reset();
    fake.failNext('accept-then-hold');
    const { replyToConversation } = await a.client.ok(REPLY, { input });
    const platform = await waitFor('X to create the reply', async () => created());
    return { replyId: replyToConversation.id as string, externalId: platform.id };
  };

  /** The precondition of the merge: the echo is its own OUTBOUND row, the reply still unsent. */
  const expectEchoStoredSeparately = async (replyId: string, externalId: string) => {
    const [echo] = await rowsWithId(externalId);
    expect(echo).toMatchObject({ direction: 'OUTBOUND', author_user_id: null });
    expect(echo.id).not.toBe(replyId);
    const [reply] = await p.t.ownerQuery(`SELECT status, external_id FROM messages WHERE id = $1`, [replyId]);
    expect(reply.external_id).toBeNull();
    expect(['QUEUED', 'SENDING']).toContain(reply.status);
    return echo;
  };

  beforeAll(async () => {
    fake = await new FakeXApi().start();
    p = await startPipeline({
      X_CONSUMER_SECRET: SECRET,
      X_API_URL: fake.url,
      SWEEP_AFTER_SECONDS: '3600',
      // The held answer must not time out: the order is decided by release(), not a clock.
      PLATFORM_TIMEOUT_MS: '120000',
    });
    a = await p.signUp('Echo agency');
    const brandId = await p.createBrand(a);
    account = `6${Date.now()}${Math.floor(Math.random() * 1000)}`;
    channelId = (await p.connectChannel(a, brandId, 'X', account, { accessToken: 'x-user-token' })).id;
    const mention = readFileSync(join(__dirname, '../fixtures/x/mention-tweet.json'), 'utf8')
      .split(FIXTURE_ACCOUNT)
      .join(account);
    await deliver(JSON.parse(mention));
  });
  afterAll(async () => {
    fake?.release();
    await p?.close();
    await fake?.stop();
  });

  it('a tweet reply: the echo tweet is merged into the reply (one message, the reply is the last message)', async () => {
    const [mention] = await rowsWithId(MENTION);
    const body = 'Your replacement ships today, Dana.';
    const { replyId, externalId } = await replyHeld({ conversationId: mention.conversation_id, body }, () =>
      fake.tweets.find((t) => t.text === body),
    );

    const echoEvent = {
      for_user_id: account,
      tweet_create_events: [
        {
          created_at: new Date().toUTCString(),
          id_str: externalId,
          conversation_id: MENTION,
          text: body,
          in_reply_to_status_id_str: MENTION,
          in_reply_to_user_id_str: CUSTOMER,
          in_reply_to_screen_name: 'dana_c',
          user: { id_str: account, name: 'Caredesk Brand', screen_name: 'CaredeskBrand' },
          entities: { user_mentions: [] },
          timestamp_ms: String(Date.now()),
        },
      ],
    };
    await deliver(echoEvent);
    const echo = await expectEchoStoredSeparately(replyId, externalId);
    expect(echo.conversation_id).toBe(mention.conversation_id);

    fake.release();
    const sent = await waitForFinalStatus(p.t, replyId, 30_000);
    expect(sent).toMatchObject({ status: 'SENT', external_id: externalId, author_user_id: a.userId });
    expect(sent.platform_created_at).toEqual(echo.platform_created_at);
    expect((await rowsWithId(externalId)).map((m) => m.id)).toEqual([replyId]);
    expect((await conversation(mention.conversation_id)).last_message_id).toBe(replyId);

    // A redelivery of the echo is now a duplicate of the reply.
    await deliver(echoEvent);
    expect((await rowsWithId(externalId)).map((m) => m.id)).toEqual([replyId]);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it("a private reply: its DM echo, threaded into the author's DM conversation, is merged; that conversation's last message is no dangling id", async () => {
    const [mention] = await rowsWithId(MENTION);
    const body = 'We sent you the tracking link here.';
    const { replyId, externalId } = await replyHeld(
      { conversationId: mention.conversation_id, body, visibility: 'PRIVATE' },
      () => fake.dms.find((d) => d.text === body),
    );
    const pub = await conversation(mention.conversation_id);
    expect(pub.linked_conversation_id).not.toBeNull();

    const echoEvent = {
      for_user_id: account,
      direct_message_events: [
        {
          type: 'message_create',
          id: externalId,
          created_timestamp: String(Date.now()),
          message_create: {
            target: { recipient_id: CUSTOMER },
            sender_id: account,
            message_data: {
              text: body,
              entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
            },
          },
        },
      ],
      users: users(),
    };
    await deliver(echoEvent);
    const echo = await expectEchoStoredSeparately(replyId, externalId);
    expect(echo.conversation_id).toBe(pub.linked_conversation_id);
    expect((await conversation(pub.linked_conversation_id)).last_message_id).toBe(echo.id);

    fake.release();
    const sent = await waitForFinalStatus(p.t, replyId, 30_000);
    expect(sent).toMatchObject({ status: 'SENT', external_id: externalId, visibility: 'PRIVATE' });
    expect((await rowsWithId(externalId)).map((m) => m.id)).toEqual([replyId]);
    // The DM conversation held only the echo: no last message now, rather than the deleted row's id.
    expect((await conversation(pub.linked_conversation_id)).last_message_id).toBeNull();
    expect(await p.t.count('messages WHERE agency_id = $1 AND id = $2', [a.agencyId, echo.id])).toBe(0);
  });
});
