import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Platform } from '../../platform';
import { NormalizedMessage, WebhookRequest } from '../connector';
import { splitX, XConnector } from './x.connector';

const SECRET = 'x-consumer-secret-for-tests';
const ACCOUNT = '3001969357';
const fixture = (name: string) => readFileSync(join(__dirname, '../../../../../test/fixtures/x', name));
const connector = new XConnector({
  x: { consumerSecret: SECRET, apiUrl: 'http://127.0.0.1:9' },
  timeoutMs: 1000,
});

function post(rawBody: Buffer, signature?: string): WebhookRequest {
  return {
    method: 'POST',
    headers: signature === undefined ? {} : { 'x-twitter-webhooks-signature': signature },
    query: {},
    rawBody,
  };
}
const sign = (body: Buffer | string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

/** Every fixture, split and normalized as the pipeline would. */
function events(name: string) {
  return splitX(fixture(name)).flatMap((d) =>
    connector.normalize({ platform: d.platform, externalAccountId: d.externalAccountId, payload: d.payload }),
  );
}

describe('XConnector.verifyWebhook', () => {
  it('answers the CRC with sha256=base64(HMAC-SHA256(crc_token, consumer secret))', () => {
    const v = connector.verifyWebhook({
      method: 'GET',
      headers: {},
      query: { crc_token: 'abc123' },
      rawBody: Buffer.alloc(0),
    });
    expect(v).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ response_token: sign('abc123') }),
    });
  });

  it('rejects a GET without crc_token', () => {
    const v = connector.verifyWebhook({ method: 'GET', headers: {}, query: {}, rawBody: Buffer.alloc(0) });
    expect(v.kind).toBe('rejected');
  });

  it('accepts a POST signed over the raw bytes', () => {
    const raw = fixture('mention-tweet.json');
    const v = connector.verifyWebhook(post(raw, sign(raw)));
    expect(v.kind).toBe('accepted');
  });

  it.each([
    ['missing', undefined, 401],
    ['wrong secret', sign(fixture('mention-tweet.json'), 'another-secret'), 403],
    ['garbage', 'sha256=nope', 403],
    ['body re-serialized', sign(JSON.stringify(JSON.parse(fixture('mention-tweet.json').toString()))), 403],
  ])('rejects a %s signature with %s', (_label, signature, status) => {
    const v = connector.verifyWebhook(post(fixture('mention-tweet.json'), signature));
    expect(v).toMatchObject({ kind: 'rejected', status });
  });

  it('rejects everything when no consumer secret is configured', () => {
    const c = new XConnector({ x: { apiUrl: 'http://127.0.0.1:9' }, timeoutMs: 1000 });
    const raw = fixture('mention-tweet.json');
    expect(c.verifyWebhook(post(raw, sign(raw))).kind).toBe('rejected');
  });
});

describe('splitX', () => {
  it('gives one delivery per event, keyed by the subscribed account and the platform id', () => {
    const body = {
      for_user_id: ACCOUNT,
      tweet_create_events: JSON.parse(fixture('mention-tweet.json').toString()).tweet_create_events,
      direct_message_events: JSON.parse(fixture('dm-in.json').toString()).direct_message_events,
      tweet_delete_events: JSON.parse(fixture('tweet-delete.json').toString()).tweet_delete_events,
      users: JSON.parse(fixture('dm-in.json').toString()).users,
    };
    const d = splitX(Buffer.from(JSON.stringify(body)));
    expect(d.map((x) => [x.platform, x.externalAccountId, x.eventKey])).toEqual([
      [Platform.X, ACCOUNT, `${ACCOUNT}/1860000000000000001`],
      [Platform.X, ACCOUNT, `${ACCOUNT}/1860000000000000100`],
      [Platform.X, ACCOUNT, `${ACCOUNT}/delete:1860000000000000003`],
    ]);
    // The DM keeps only the users it names.
    expect(Object.keys((d[1].payload as any).users).sort()).toEqual(['1112223334445556667', ACCOUNT]);
  });

  it('gives nothing for a body that is not an Account Activity delivery', () => {
    expect(splitX(Buffer.from('not json'))).toEqual([]);
    expect(splitX(Buffer.from('{"tweet_create_events":[]}'))).toEqual([]);
  });
});

describe('XConnector.normalize', () => {
  it('a tweet mentioning the account → inbound MENTION keyed by the tweet itself, with media', () => {
    const [m] = events('mention-tweet.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      type: 'message',
      kind: 'MENTION',
      direction: 'INBOUND',
      visibility: 'PUBLIC',
      externalId: '1860000000000000001',
      threadKey: 'mention:1860000000000000001',
      parentExternalId: null,
      customer: {
        externalUserId: '1112223334445556667',
        username: 'dana_c',
        displayName: 'Dana Customer',
        avatarUrl: 'https://pbs.twimg.com/profile_images/1/dana_normal.jpg',
      },
      body: "@CaredeskBrand my order #4411 still hasn't shipped, can you help?",
      attachments: [
        {
          type: 'IMAGE',
          url: 'https://pbs.twimg.com/media/FxOrder4411.jpg',
          name: null,
          size: null,
          mimeType: null,
        },
      ],
      replyContext: {
        tweetId: '1860000000000000001',
        authorId: '1112223334445556667',
        userId: '1112223334445556667',
      },
    });
    expect(m.occurredAt.toISOString()).toBe(new Date(1795252502000).toISOString());
  });

  it("the brand's own reply → OUTBOUND keyed by the tweet it answers, the customer being the one answered", () => {
    const [m] = events('own-tweet.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      kind: 'MENTION',
      direction: 'OUTBOUND',
      externalId: '1860000000000000002',
      threadKey: 'mention:1860000000000000001',
      parentExternalId: '1860000000000000001',
      customer: { externalUserId: '1112223334445556667', username: 'dana_c' },
      replyContext: { tweetId: '1860000000000000002', authorId: ACCOUNT },
    });
  });

  it("the customer's reply down the chain is keyed by itself and names the tweet it answers (threading joins it)", () => {
    const [m] = events('reply-tweet.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      direction: 'INBOUND',
      threadKey: 'mention:1860000000000000003',
      parentExternalId: '1860000000000000002',
    });
  });

  it('two customers answering the same brand tweet get keys of their own', () => {
    const base = JSON.parse(fixture('reply-tweet.json').toString()).tweet_create_events[0];
    const other = { ...base, id_str: '1860000000000000004', user: { id_str: '4445556667778889990' } };
    const keys = [base, other].map(
      (tweet) =>
        (
          connector.normalize({
            platform: Platform.X,
            externalAccountId: ACCOUNT,
            payload: { kind: 'tweet_create', tweet },
          })[0] as NormalizedMessage
        ).threadKey,
    );
    expect(keys).toEqual(['mention:1860000000000000003', 'mention:1860000000000000004']);
  });

  it('ignores retweets, broadcast tweets of the brand and tweets not about the account', () => {
    const base = JSON.parse(fixture('mention-tweet.json').toString()).tweet_create_events[0];
    const cases = [
      { ...base, retweeted_status: { id_str: '1' } },
      { ...base, user: { id_str: ACCOUNT }, entities: {} },
      { ...base, entities: { user_mentions: [{ id_str: '42' }] } },
    ];
    for (const tweet of cases) {
      expect(
        connector.normalize({
          platform: Platform.X,
          externalAccountId: ACCOUNT,
          payload: { kind: 'tweet_create', tweet },
        }),
      ).toEqual([]);
    }
  });

  it('an incoming DM → inbound private DM in dm:<sender>, with the users map for the profile', () => {
    const [m] = events('dm-in.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      kind: 'DM',
      direction: 'INBOUND',
      visibility: 'PRIVATE',
      externalId: '1860000000000000100',
      threadKey: 'dm:1112223334445556667',
      customer: { externalUserId: '1112223334445556667', username: 'dana_c', displayName: 'Dana Customer' },
      body: 'Here is my receipt https://t.co/rcpt',
      attachments: [
        { type: 'IMAGE', url: 'https://ton.twitter.com/1.1/ton/data/dm/1860000000000000100/receipt.jpg' },
      ],
      replyContext: { dmEventId: '1860000000000000100', userId: '1112223334445556667' },
    });
  });

  it('a DM the account sent elsewhere (echo) → OUTBOUND in the recipient thread', () => {
    const [m] = events('dm-echo.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      kind: 'DM',
      direction: 'OUTBOUND',
      threadKey: 'dm:1112223334445556667',
      customer: { externalUserId: '1112223334445556667', username: 'dana_c' },
      body: 'Thanks Dana, a replacement ships today.',
    });
  });

  it('a tweet deletion → deletion of that tweet', () => {
    expect(events('tweet-delete.json')).toEqual([
      { type: 'deletion', externalId: '1860000000000000003', occurredAt: new Date(1795253999000) },
    ]);
  });
});
