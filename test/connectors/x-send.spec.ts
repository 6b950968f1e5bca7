import { ConnectorError, OutboundRequest } from '../../libs/channels/src/connectors/connector';
import { XConnector } from '../../libs/channels/src/connectors/x/x.connector';
import { FakeXApi, xRateLimited } from '../fakes/x-api';
import { X_FIXTURE_ACCOUNT as ACCOUNT, X_FIXTURE_CUSTOMER as CUSTOMER } from './x.support';

const MENTION = {
  tweetId: '1860000000000000001',
  authorId: CUSTOMER,
  userId: CUSTOMER,
};

describe('XConnector.send against a fake X API', () => {
  let fake: FakeXApi;
  let x: XConnector;

  beforeAll(async () => {
    fake = await new FakeXApi().start();
    x = new XConnector({ x: { consumerSecret: 'unused-here', apiUrl: fake.url }, timeoutMs: 500 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const req = (over: Partial<OutboundRequest>): OutboundRequest => ({
    action: 'REPLY',
    externalAccountId: ACCOUNT,
    credentials: { accessToken: 'user-token-1', extra: {} },
    body: 'Sorry about that, looking into it now.',
    target: MENTION,
    idempotencyKey: 'out-1',
    ...over,
  });

  it('REPLY to a mention → POST /2/tweets with reply.in_reply_to_tweet_id, Bearer user token', async () => {
    const res = await x.send(req({}));
    expect(fake.requests).toHaveLength(1);
    const [r] = fake.requests;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/2/tweets');
    expect(r.headers.authorization).toBe('Bearer user-token-1');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual({
      text: 'Sorry about that, looking into it now.',
      reply: { in_reply_to_tweet_id: '1860000000000000001' },
    });
    expect(res.externalId).toMatch(/^\d+$/);
  });

  it('REPLY in a DM thread → a DM to the customer', async () => {
    await x.send(
      req({ target: { dmEventId: '1860000000000000100', userId: CUSTOMER, recipientId: CUSTOMER } }),
    );
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      url: `/2/dm_conversations/with/${CUSTOMER}/messages`,
    });
  });

  it.each(['DIRECT_MESSAGE', 'PRIVATE_REPLY'] as const)(
    '%s → POST /2/dm_conversations/with/:participant_id/messages {text}, id = dm_event_id',
    async (action) => {
      const res = await x.send(req({ action, body: 'DMing you the details' }));
      const [r] = fake.requests;
      expect(r.method).toBe('POST');
      expect(r.url).toBe(`/2/dm_conversations/with/${CUSTOMER}/messages`);
      expect(r.body).toEqual({ text: 'DMing you the details' });
      expect(res.externalId).toMatch(/^\d+$/);
    },
  );

  it.each([
    ['HIDE', true],
    ['UNHIDE', false],
  ] as const)('%s → PUT /2/tweets/:id/hidden {hidden: %s}', async (action, hidden) => {
    const res = await x.send(req({ action, body: '' }));
    expect(fake.requests[0]).toMatchObject({
      method: 'PUT',
      url: '/2/tweets/1860000000000000001/hidden',
      body: { hidden },
    });
    expect(res).toEqual({ externalId: null });
  });

  it("DELETE of the account's own tweet → DELETE /2/tweets/:id; of a customer's → UNSUPPORTED, nothing sent", async () => {
    await x.send(
      req({ action: 'DELETE', target: { ...MENTION, tweetId: '1860000000000000002', authorId: ACCOUNT } }),
    );
    expect(fake.requests[0]).toMatchObject({ method: 'DELETE', url: '/2/tweets/1860000000000000002' });
    await expect(x.send(req({ action: 'DELETE' }))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(x.send(req({ action: 'EMAIL' }))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(fake.requests).toHaveLength(1);
  });

  describe('from the generic target the send worker builds (threadKey, externalId, recipientId)', () => {
    it('REPLY in a mention thread answers the tweet named by externalId', async () => {
      await x.send(
        req({
          target: {
            threadKey: 'mention:1860000000000000001',
            externalId: '1860000000000000003',
            recipientId: CUSTOMER,
          },
        }),
      );
      expect(fake.requests[0]).toMatchObject({
        url: '/2/tweets',
        body: { reply: { in_reply_to_tweet_id: '1860000000000000003' } },
      });
    });

    it('DIRECT_MESSAGE in a DM thread goes to the user named by the thread key', async () => {
      await x.send(
        req({
          action: 'DIRECT_MESSAGE',
          target: { threadKey: `dm:${CUSTOMER}`, externalId: '1860000000000000100' },
        }),
      );
      expect(fake.requests[0]).toMatchObject({ url: `/2/dm_conversations/with/${CUSTOMER}/messages` });
    });

    it('PRIVATE_REPLY to a mention DMs its author (recipientId)', async () => {
      await x.send(
        req({
          action: 'PRIVATE_REPLY',
          target: { threadKey: 'mention:1', externalId: '1', recipientId: CUSTOMER },
        }),
      );
      expect(fake.requests[0]).toMatchObject({ url: `/2/dm_conversations/with/${CUSTOMER}/messages` });
    });

    it('HIDE uses externalId as the tweet', async () => {
      await x.send(
        req({ action: 'HIDE', target: { threadKey: 'mention:1', externalId: '1860000000000000003' } }),
      );
      expect(fake.requests[0]).toMatchObject({ method: 'PUT', url: '/2/tweets/1860000000000000003/hidden' });
    });
  });

  describe('error mapping', () => {
    const code = async (over: Partial<OutboundRequest> = {}) => {
      try {
        await x.send(req(over));
      } catch (e) {
        expect(e).toBeInstanceOf(ConnectorError);
        return e as ConnectorError;
      }
      throw new Error('send did not fail');
    };

    it('429 → RATE_LIMITED with retryAfterSeconds from x-rate-limit-reset', async () => {
      fake.failNext(xRateLimited(120));
      const e = await code();
      expect(e.code).toBe('RATE_LIMITED');
      expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(118);
      expect(e.retryAfterSeconds).toBeLessThanOrEqual(121);
    });

    it('429 with only Retry-After → that many seconds', async () => {
      fake.failNext({ status: 429, headers: { 'retry-after': '7' }, body: { title: 'Too Many Requests' } });
      expect(await code()).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 7 });
    });

    it('401 → AUTH_EXPIRED', async () => {
      fake.failNext({ status: 401, body: { title: 'Unauthorized', status: 401, detail: 'Unauthorized' } });
      expect((await code()).code).toBe('AUTH_EXPIRED');
    });

    it('no token at all → AUTH_EXPIRED without calling X', async () => {
      expect((await code({ credentials: { extra: {} } })).code).toBe('AUTH_EXPIRED');
      expect(fake.requests).toHaveLength(0);
    });

    it('500 and 503 → TRANSIENT', async () => {
      fake.failNext({ status: 500, body: { title: 'Internal Server Error' } });
      expect((await code()).code).toBe('TRANSIENT');
      fake.failNext({ status: 503, body: { title: 'Service Unavailable' } });
      expect((await code()).code).toBe('TRANSIENT');
    });

    it('a hung request → TRANSIENT after the configured timeout', async () => {
      fake.failNext('hang');
      expect((await code()).code).toBe('TRANSIENT');
    });

    it('a closed port → TRANSIENT', async () => {
      const down = new XConnector({ x: { apiUrl: 'http://127.0.0.1:9' }, timeoutMs: 500 });
      await expect(down.send(req({}))).rejects.toMatchObject({ code: 'TRANSIENT' });
    });

    it('403 duplicate content and 400 → REJECTED', async () => {
      fake.failNext({
        status: 403,
        body: {
          detail: 'You are not allowed to create a Tweet with duplicate content.',
          type: 'about:blank',
          title: 'Forbidden',
          status: 403,
        },
      });
      const e = await code();
      expect(e.code).toBe('REJECTED');
      expect(e.message).toContain('duplicate content');
      fake.failNext({
        status: 400,
        body: { errors: [{ message: 'Invalid Request' }], title: 'Invalid Request' },
      });
      expect((await code()).code).toBe('REJECTED');
    });
  });
});
