import { ConnectorError, OutboundRequest, WebhookRequest } from '@caredesk/channels';
import { TikTokConnector } from '../../libs/channels/src/connectors/tiktok/tiktok.connector';
import { FakeTikTokApi, startFakeTikTokApi, tiktokFixture, tiktokSignature } from '../fakes/tiktok-api';

const SECRET = 'tiktok-client-secret-42';
const BIZ = '-000Rq8ZPbQ3tWbY9g0s7yUuV4nXkLm2aB1c';
const VIDEO = '7440129384756102938';
const TOP = '7441938475610294817';
const NOW = 1764061210;

const config = (apiUrl = 'http://unused') => ({
  tiktok: { clientSecret: SECRET, apiUrl },
  timeoutMs: 500,
  webhookToleranceSeconds: 300,
});
const tiktok = new TikTokConnector(config(), () => NOW * 1000);

const post = (raw: Buffer, signature: string | undefined): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'tiktok-signature': signature },
  query: {},
  rawBody: raw,
});
const accepted = (name: string) => {
  const raw = tiktokFixture(name);
  const verdict = tiktok.verifyWebhook(post(raw, tiktokSignature(raw, SECRET, NOW)));
  if (verdict.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(verdict)}`);
  return verdict.deliveries;
};

describe('TikTok verifyWebhook (TikTok-Signature)', () => {
  it('accepts a correct signature: one delivery routed by user_openid, keyed by a content hash', () => {
    const [d] = accepted('comment-create');
    expect(d).toMatchObject({
      platform: 'TIKTOK',
      externalAccountId: BIZ,
      eventKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The same delivery again has the same key; another event does not.
    expect(accepted('comment-create')[0].eventKey).toBe(d.eventKey);
    expect(accepted('comment-reply')[0].eventKey).not.toBe(d.eventKey);
  });

  it.each([
    ['no header', undefined],
    [
      'a signature with the wrong secret',
      tiktokSignature(tiktokFixture('comment-create'), 'another-secret', NOW),
    ],
    ['a malformed header', 'sha256=abc'],
    ['a signature over another body', tiktokSignature(tiktokFixture('comment-reply'), SECRET, NOW)],
    [
      'a signature for another timestamp',
      tiktokSignature(tiktokFixture('comment-create'), SECRET, NOW).replace(`t=${NOW}`, `t=${NOW + 1}`),
    ],
  ])('rejects %s with 401', (_what, signature) => {
    expect(tiktok.verifyWebhook(post(tiktokFixture('comment-create'), signature))).toMatchObject({
      kind: 'rejected',
      status: 401,
    });
  });

  it('rejects a correctly signed delivery older (or newer) than the tolerance: replay protection', () => {
    const raw = tiktokFixture('comment-create');
    expect(tiktok.verifyWebhook(post(raw, tiktokSignature(raw, SECRET, NOW - 301)))).toMatchObject({
      kind: 'rejected',
      reason: 'stale timestamp',
    });
    expect(tiktok.verifyWebhook(post(raw, tiktokSignature(raw, SECRET, NOW + 301)))).toMatchObject({
      kind: 'rejected',
    });
    expect(tiktok.verifyWebhook(post(raw, tiktokSignature(raw, SECRET, NOW - 299)))).toMatchObject({
      kind: 'accepted',
    });
  });

  it('rejects everything without a configured secret', () => {
    const unconfigured = new TikTokConnector({ ...config(), tiktok: { apiUrl: 'x' } }, () => NOW * 1000);
    const raw = tiktokFixture('comment-create');
    expect(unconfigured.verifyWebhook(post(raw, tiktokSignature(raw, SECRET, NOW)))).toMatchObject({
      kind: 'rejected',
    });
  });

  it('acknowledges, storing nothing, events that are not comments', () => {
    expect(accepted('authorization-removed')).toEqual([]);
  });
});

describe('TikTok normalize', () => {
  const normalize = (name: string) => tiktok.normalize(accepted(name)[0]);

  it('a top-level comment → COMMENT in its own thread on the video', () => {
    expect(normalize('comment-create')).toEqual([
      {
        type: 'message',
        kind: 'COMMENT',
        direction: 'INBOUND',
        visibility: 'PUBLIC',
        externalId: TOP,
        threadKey: `comment:${VIDEO}:${TOP}`,
        parentExternalId: null,
        customer: {
          externalUserId: '6893441123458765825',
          username: 'lena.skates',
          displayName: 'Lena ⛸️',
          avatarUrl: 'https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/lena~c5_100x100.jpeg',
        },
        body: 'Mine came broken 😡 who do I contact?',
        subject: null,
        rating: null,
        attachments: [],
        occurredAt: new Date(1764061200123),
        replyContext: { videoId: VIDEO, commentId: TOP },
      },
    ]);
  });

  it('a reply joins the thread of its top-level comment', () => {
    expect(normalize('comment-reply')).toEqual([
      expect.objectContaining({
        externalId: '7441940012938475011',
        threadKey: `comment:${VIDEO}:${TOP}`,
        parentExternalId: TOP,
        direction: 'INBOUND',
        replyContext: { videoId: VIDEO, commentId: TOP },
      }),
    ]);
  });

  it("the business account's own reply is OUTBOUND in the same thread", () => {
    expect(normalize('own-reply')).toEqual([
      expect.objectContaining({ direction: 'OUTBOUND', threadKey: `comment:${VIDEO}:${TOP}` }),
    ]);
  });

  it("without `owner`, the business's reply is still OUTBOUND: its author is the channel's own account", () => {
    expect(normalize('own-reply-no-owner')).toEqual([
      expect.objectContaining({
        externalId: '7441942234455667788',
        direction: 'OUTBOUND',
        threadKey: `comment:${VIDEO}:${TOP}`,
      }),
    ]);
    // The same comment by anyone else is the customer's.
    const [d] = accepted('own-reply-no-owner');
    const other = tiktok.normalize({ ...d, externalAccountId: '-000SomeOtherBusinessAccount' });
    expect(other).toEqual([expect.objectContaining({ direction: 'INBOUND' })]);
  });

  it('a delete is a deletion; a visibility change is stored but normalizes to nothing', () => {
    expect(normalize('comment-delete')).toEqual([
      { type: 'deletion', externalId: '7441940012938475011', occurredAt: new Date(1764062100000) },
    ]);
    expect(normalize('comment-hidden')).toEqual([]);
  });

  it('reads ids beyond 2^53 exactly (the docs type them as numbers)', () => {
    const [d] = accepted('comment-reply');
    expect((d.payload as any).content).toMatchObject({
      comment_id: '7441940012938475011',
      parent_comment_id: TOP,
      video_id: VIDEO,
    });
  });
});

describe('TikTok send against the fake Business API', () => {
  let api: FakeTikTokApi;
  let connector: TikTokConnector;
  beforeAll(async () => {
    api = await startFakeTikTokApi();
    connector = new TikTokConnector(config(api.url));
  });
  afterAll(() => api.close());
  beforeEach(() => api.requests.splice(0));

  const request = (over: Partial<OutboundRequest> = {}): OutboundRequest => ({
    action: 'REPLY',
    externalAccountId: BIZ,
    credentials: { accessToken: 'act.tiktok-access-token', extra: {} },
    body: 'So sorry! Please DM us your order number.',
    target: { videoId: VIDEO, commentId: TOP, externalId: '7441940012938475011' },
    idempotencyKey: 'out-7',
    ...over,
  });
  const failure = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  };

  it('REPLY → POST /open_api/v1.3/business/comment/reply/create/ with Access-Token; the new comment id back', async () => {
    const result = await connector.send(request());
    expect(result.externalId).toMatch(/^74419\d+$/);
    expect(api.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/open_api/v1.3/business/comment/reply/create/',
        headers: expect.objectContaining({ 'access-token': 'act.tiktok-access-token' }),
        body: {
          business_id: BIZ,
          video_id: VIDEO,
          comment_id: TOP,
          text: 'So sorry! Please DM us your order number.',
        },
      }),
    ]);
  });

  it('keeps the returned 19-digit comment id exact, and reconcile finds the reply already made', async () => {
    const { externalId } = await connector.send(request({ body: 'reconcile me' }));
    // The fake answers `"comment_id":74419…` as a bare number; a double would round it.
    expect(externalId).toBe(api.replies.at(-1)!.comment_id);
    expect(api.requests).toHaveLength(1);
    await expect(connector.reconcile(request({ body: 'reconcile me' }))).resolves.toEqual({ externalId });
    await expect(connector.reconcile(request({ body: 'never sent' }))).resolves.toBeNull();
    expect(api.requests[1]).toMatchObject({
      method: 'GET',
      path: '/open_api/v1.3/business/comment/reply/list/',
    });
  });

  it('without replyContext, takes the video and top-level comment from the thread key', async () => {
    await connector.send(
      request({ target: { threadKey: `comment:${VIDEO}:${TOP}`, externalId: '7441940012938475011' } }),
    );
    expect(api.requests[0].body).toMatchObject({ video_id: VIDEO, comment_id: TOP });
  });

  it.each(['PRIVATE_REPLY', 'DIRECT_MESSAGE', 'HIDE', 'UNHIDE', 'DELETE', 'EMAIL'] as const)(
    '%s → UNSUPPORTED',
    async (action) => {
      expect((await failure(connector.send(request({ action })))).code).toBe('UNSUPPORTED');
      expect(api.requests).toHaveLength(0);
    },
  );

  it('maps errors: revoked token, 40100, HTTP 429, 5xx, timeout, bad request', async () => {
    expect(
      (await failure(connector.send(request({ credentials: { accessToken: 'act.revoked' } })))).code,
    ).toBe('AUTH_EXPIRED');
    api.failNext({ code: 40100, message: 'Too many requests' });
    expect((await failure(connector.send(request()))).code).toBe('RATE_LIMITED');
    api.failNext({ status: 429, retryAfter: '30' });
    const limited = await failure(connector.send(request()));
    expect([limited.code, limited.retryAfterSeconds]).toEqual(['RATE_LIMITED', 30]);
    api.failNext({ status: 502 });
    expect((await failure(connector.send(request()))).code).toBe('TRANSIENT');
    api.failNext({ code: 51001, message: 'Internal error' });
    expect((await failure(connector.send(request()))).code).toBe('TRANSIENT');
    api.failNext({ hang: true });
    expect((await failure(connector.send(request()))).code).toBe('TRANSIENT');
    api.failNext({ code: 40002, message: 'Invalid parameter' });
    expect((await failure(connector.send(request()))).code).toBe('REJECTED');
    expect((await failure(connector.send(request({ target: {} })))).code).toBe('REJECTED');
  });
});
