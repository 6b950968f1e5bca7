import { ConnectorError, OutboundRequest, WebhookRequest } from '@caredesk/channels';
import { GoogleConnector, secretsEqual } from '../../libs/channels/src/connectors/google/google.connector';
import { sign } from 'jsonwebtoken';
import { maxAgeMs } from '../../libs/channels/src/connectors/google/google-push-auth';
import { FakeGoogleApi, googleNotification, pubsubPush, startFakeGoogleApi } from '../fakes/google-api';
import { FakeGoogleOidc, oidcKey, startFakeGoogleOidc } from '../fakes/google-oidc';

const TOKEN = 'push-token-0123456789';
const REVIEW = googleNotification('new-review').review.name as string;
const LOCATION = 'accounts/108194857201938475610/locations/4471935571108419261';

const push = (body: unknown, token: string | null = TOKEN): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query: token === null ? {} : { token },
  rawBody: Buffer.from(JSON.stringify(body)),
});

describe('Google verifyWebhook (Pub/Sub push token)', () => {
  const google = new GoogleConnector({
    google: { pushToken: TOKEN, apiUrl: 'http://unused' },
    timeoutMs: 1000,
  });

  it('accepts the right token: one delivery keyed on the Pub/Sub messageId, routed by location', async () => {
    const verdict = await google.verifyWebhook(
      push(pubsubPush(googleNotification('new-review'), '9182736450')),
    );
    expect(verdict).toEqual({
      kind: 'accepted',
      deliveries: [
        {
          platform: 'GOOGLE_BUSINESS',
          externalAccountId: LOCATION,
          eventKey: '9182736450',
          payload: expect.objectContaining({
            messageId: '9182736450',
            notification: googleNotification('new-review'),
          }),
        },
      ],
    });
  });

  it.each([
    ['a wrong token', 'push-token-0123456788'],
    ['a missing token', null],
    ['an empty token', ''],
    ['a prefix of the token', TOKEN.slice(0, -1)],
  ])('rejects %s with 403', async (_what, token) => {
    expect(
      await google.verifyWebhook(push(pubsubPush(googleNotification('new-review')), token)),
    ).toMatchObject({
      kind: 'rejected',
      status: 403,
    });
  });

  it('rejects everything when no push token is configured', async () => {
    const unconfigured = new GoogleConnector({ google: { apiUrl: 'http://unused' }, timeoutMs: 1000 });
    expect(unconfigured.isConfigured()).toBe(false);
    expect(
      await unconfigured.verifyWebhook(push(pubsubPush(googleNotification('new-review')))),
    ).toMatchObject({
      kind: 'rejected',
    });
  });

  it('acknowledges, storing nothing, a verified push that is not a review or not readable', async () => {
    for (const body of [pubsubPush(googleNotification('google-update')), { message: { data: '!!' } }, 'x']) {
      expect(await google.verifyWebhook(push(body))).toEqual({ kind: 'accepted', deliveries: [] });
    }
  });

  it('compares secrets in constant time whatever their lengths', () => {
    expect(secretsEqual('a', 'a')).toBe(true);
    expect(secretsEqual('a', 'ab')).toBe(false);
  });
});

describe('Google verifyWebhook (Pub/Sub push OIDC token)', () => {
  const AUDIENCE = 'https://caredesk.example/webhooks/google';
  const ACCOUNT = 'gbp-push@caredesk-prod.iam.gserviceaccount.com';
  let oidc: FakeGoogleOidc;
  let google: GoogleConnector;
  const connector = (certsUrl: string) =>
    new GoogleConnector({
      google: {
        pushToken: TOKEN,
        pushAudience: AUDIENCE,
        pushServiceAccount: ACCOUNT,
        oidcCertsUrl: certsUrl,
        apiUrl: 'http://unused',
      },
      timeoutMs: 2000,
    });
  const bearer = (jwt: string | null, query: Record<string, string> = {}): WebhookRequest => ({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(jwt === null ? {} : { authorization: `Bearer ${jwt}` }),
    },
    query,
    rawBody: Buffer.from(JSON.stringify(pubsubPush(googleNotification('new-review'), 'oidc-1'))),
  });

  beforeAll(async () => {
    oidc = await startFakeGoogleOidc({ audience: AUDIENCE, serviceAccount: ACCOUNT });
    google = connector(oidc.url);
  });
  afterAll(() => oidc.close());

  it('accepts a token Google signed for our audience and service account', async () => {
    const verdict = await google.verifyWebhook(bearer(oidc.token()));
    expect(verdict).toMatchObject({ kind: 'accepted', deliveries: [{ eventKey: 'oidc-1' }] });
    // iss without the scheme is Google's too.
    expect(await google.verifyWebhook(bearer(oidc.token({ iss: 'accounts.google.com' })))).toMatchObject({
      kind: 'accepted',
    });
  });

  it.each([
    ['a wrong audience', () => oidc.token({ aud: 'https://someone-else.example/push' }), 'wrong audience'],
    [
      'another service account',
      () => oidc.token({ email: 'intruder@evil.iam.gserviceaccount.com' }),
      'wrong service account',
    ],
    ['an unverified email', () => oidc.token({ email_verified: false }), 'email not verified'],
    ['a wrong issuer', () => oidc.token({ iss: 'https://evil.example' }), 'wrong issuer'],
    [
      'an expired token',
      () =>
        oidc.token({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }),
      'token expired',
    ],
  ])('rejects %s with 403', async (_what, token, reason) => {
    expect(await google.verifyWebhook(bearer(token()))).toEqual({ kind: 'rejected', status: 403, reason });
  });

  it('rejects a bad signature, an unknown key, a non-RS256 token and a missing one', async () => {
    const impostor = await oidcKey();
    // Signed by another key but naming a published kid: the signature does not verify.
    const forged = oidc.token({}, { ...impostor, kid: oidc.published[0].kid });
    expect(await google.verifyWebhook(bearer(forged))).toMatchObject({
      status: 403,
      reason: 'bad signature or claims',
    });
    // A tampered payload under a real signature.
    const [h, , sig] = oidc.token().split('.');
    const payload = Buffer.from(
      JSON.stringify({ aud: AUDIENCE, email: ACCOUNT, email_verified: true, exp: 4e9 }),
    ).toString('base64url');
    expect(await google.verifyWebhook(bearer(`${h}.${payload}.${sig}`))).toMatchObject({ status: 403 });
    expect(await google.verifyWebhook(bearer(oidc.token({}, impostor)))).toMatchObject({
      status: 403,
      reason: 'unknown key id',
    });
    // HS256 "signed" with the public certificate (algorithm confusion).
    const hs = sign({ aud: AUDIENCE, email: ACCOUNT, email_verified: true }, oidc.published[0].cert, {
      algorithm: 'HS256',
      keyid: oidc.published[0].kid,
      expiresIn: 600,
    });
    expect(await google.verifyWebhook(bearer(hs))).toMatchObject({
      status: 403,
      reason: 'unexpected algorithm',
    });
    expect(await google.verifyWebhook(bearer('not.a.jwt'))).toMatchObject({ status: 403 });
    expect(await google.verifyWebhook(bearer(null))).toMatchObject({
      status: 401,
      reason: 'missing bearer token',
    });
  });

  it('once the JWT is configured the URL token alone is not enough', async () => {
    expect(await google.verifyWebhook(bearer(null, { token: TOKEN }))).toMatchObject({
      kind: 'rejected',
      status: 401,
    });
  });

  it('fetches the certificates once while their max-age lasts; max-age=0 fetches each time', async () => {
    const fresh = connector(oidc.url);
    const before = oidc.fetches;
    for (let i = 0; i < 3; i++)
      expect((await fresh.verifyWebhook(bearer(oidc.token()))).kind).toBe('accepted');
    expect(oidc.fetches - before).toBe(1);

    const uncached = await startFakeGoogleOidc({
      audience: AUDIENCE,
      serviceAccount: ACCOUNT,
      maxAgeSeconds: 0,
    });
    try {
      const c = connector(uncached.url);
      for (let i = 0; i < 2; i++)
        expect((await c.verifyWebhook(bearer(uncached.token()))).kind).toBe('accepted');
      expect(uncached.fetches).toBe(2);
    } finally {
      await uncached.close();
    }
  });

  it('certificates that cannot be fetched: rejected (Pub/Sub redelivers), never accepted', async () => {
    const down = connector('http://127.0.0.1:9/oauth2/v1/certs');
    expect(await down.verifyWebhook(bearer(oidc.token()))).toMatchObject({
      kind: 'rejected',
      reason: 'certificates unavailable',
    });
  });

  it('reads Cache-Control max-age', () => {
    expect(maxAgeMs('public, max-age=19845, must-revalidate, no-transform')).toBe(19_845_000);
    expect(maxAgeMs('no-cache')).toBe(0);
    expect(maxAgeMs(null)).toBe(300_000);
  });
});

describe('Google normalize', () => {
  const google = new GoogleConnector({
    google: { pushToken: TOKEN, apiUrl: 'http://unused' },
    timeoutMs: 1000,
  });
  const normalize = (fixture: string) => {
    const n = googleNotification(fixture);
    const payload = { messageId: 'm-1', publishTime: '2026-11-22T18:41:08.201Z', notification: n };
    return google.normalize({ platform: 'GOOGLE_BUSINESS' as any, externalAccountId: LOCATION, payload });
  };

  it('NEW_REVIEW → a REVIEW message with its star rating, its own thread, the reviewer', () => {
    expect(normalize('new-review')).toEqual([
      {
        type: 'message',
        kind: 'REVIEW',
        direction: 'INBOUND',
        visibility: 'PUBLIC',
        externalId: REVIEW,
        threadKey: `review:${REVIEW}`,
        parentExternalId: null,
        customer: {
          externalUserId: `reviewer:${REVIEW}`,
          username: null,
          displayName: 'Marta Kowalska',
          avatarUrl: 'https://lh3.googleusercontent.com/a-/ALV-UjXq1example=s120-c-rp-mo-br100',
        },
        body: 'Waited 40 minutes for a table although we had booked. The food was good, the service was not.',
        subject: null,
        rating: 2,
        attachments: [],
        occurredAt: new Date('2026-11-22T18:41:07.114Z'),
        replyContext: { reviewName: REVIEW },
      },
    ]);
  });

  it('UPDATED_REVIEW → the message (kept if missed) and an edit of the same review', () => {
    const [message, edit] = normalize('updated-review');
    expect(message).toMatchObject({ type: 'message', externalId: REVIEW, rating: 4 });
    expect(edit).toEqual({
      type: 'edit',
      externalId: REVIEW,
      body: 'Update: the manager called us and apologised. Fair enough, we will come back.',
      rating: 4,
      occurredAt: new Date('2026-11-23T09:02:51.480Z'),
    });
  });

  it("the owner's reply (made in Google's UI) → an OUTBOUND message keyed <review>/reply, and its edit", () => {
    const events = normalize('owner-replied');
    const review = googleNotification('owner-replied').review.name as string;
    const repliedAt = new Date('2026-11-23T19:30:02.318Z');
    expect(events).toEqual([
      expect.objectContaining({ type: 'message', direction: 'INBOUND', externalId: review, rating: 5 }),
      {
        type: 'message',
        kind: 'REVIEW',
        direction: 'OUTBOUND',
        visibility: 'PUBLIC',
        externalId: `${review}/reply`,
        threadKey: `review:${review}`,
        parentExternalId: review,
        // the recipient: the reviewer, as for the review itself
        customer: expect.objectContaining({
          externalUserId: `reviewer:${review}`,
          displayName: 'Lars Eriksen',
        }),
        body: 'Tusen takk, Lars! Velkommen tilbake.',
        subject: null,
        rating: null,
        attachments: [],
        occurredAt: repliedAt,
        replyContext: { reviewName: review },
      },
      {
        type: 'edit',
        externalId: `${review}/reply`,
        body: 'Tusen takk, Lars! Velkommen tilbake.',
        occurredAt: repliedAt,
      },
    ]);
  });

  it('a star-only review from an anonymous reviewer: empty body, no name, rating 5', () => {
    const [message] = normalize('anonymous-star-only');
    expect(message).toMatchObject({ body: '', rating: 5, customer: { displayName: null, avatarUrl: null } });
  });

  it('a notification with only the review name fails loudly (kept as a FAILED event)', () => {
    expect(() => normalize('names-only')).toThrow(/carries no review data/);
  });
});

describe('Google send against the fake v4 API', () => {
  let api: FakeGoogleApi;
  let google: GoogleConnector;
  beforeAll(async () => {
    api = await startFakeGoogleApi();
    google = new GoogleConnector({ google: { pushToken: TOKEN, apiUrl: api.url }, timeoutMs: 500 });
  });
  afterAll(() => api.close());
  beforeEach(() => api.requests.splice(0));

  const request = (over: Partial<OutboundRequest> = {}): OutboundRequest => ({
    action: 'REPLY',
    externalAccountId: LOCATION,
    credentials: { accessToken: 'google-access-token', extra: {} },
    body: 'Thank you Marta, we are sorry about the wait.',
    target: { reviewName: REVIEW, externalId: REVIEW },
    idempotencyKey: 'out-1',
    ...over,
  });
  const code = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  };

  it('REPLY → PUT /v4/{review}/reply {comment} with the bearer token', async () => {
    await expect(google.send(request())).resolves.toEqual({ externalId: `${REVIEW}/reply` });
    expect(api.requests).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: `/v4/${REVIEW}/reply`,
        body: { comment: 'Thank you Marta, we are sorry about the wait.' },
        headers: expect.objectContaining({ authorization: 'Bearer google-access-token' }),
      }),
    ]);
  });

  it('hydrate reads a names-only review through reviews.get, then it normalizes', async () => {
    const n = googleNotification('names-only');
    const full = { ...googleNotification('new-review').review, name: n.reviewName };
    api.reviews.set(n.reviewName, full);
    const delivery = {
      platform: 'GOOGLE_BUSINESS' as any,
      externalAccountId: LOCATION,
      payload: { messageId: 'm-9', publishTime: null, notification: n },
    };
    const hydrated = await google.hydrate(delivery, { accessToken: 'google-access-token' });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v4/${n.reviewName}`]);
    expect(google.normalize({ ...delivery, payload: hydrated })).toEqual([
      expect.objectContaining({ externalId: n.reviewName, rating: 2, body: full.comment }),
    ]);
    // Already embedded: no API call.
    api.requests.splice(0);
    const embedded = {
      ...delivery,
      payload: { ...delivery.payload, notification: googleNotification('new-review') },
    };
    await expect(google.hydrate(embedded, {})).resolves.toBe(embedded.payload);
    expect(api.requests).toHaveLength(0);
    // A revoked token: AUTH_EXPIRED, like a send.
    expect((await code(google.hydrate(delivery, { accessToken: 'revoked' }))).code).toBe('AUTH_EXPIRED');
  });

  it('reconcile finds a reply already made with the same text', async () => {
    await google.send(request());
    await expect(google.reconcile(request())).resolves.toEqual({ externalId: `${REVIEW}/reply` });
    await expect(google.reconcile(request({ body: 'something else' }))).resolves.toBeNull();
  });

  it('DELETE of our reply → DELETE /v4/{review}/reply; of the review itself → UNSUPPORTED', async () => {
    await expect(
      google.send(request({ action: 'DELETE', target: { externalId: `${REVIEW}/reply` } })),
    ).resolves.toEqual({ externalId: null });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v4/${REVIEW}/reply`]);
    expect((await code(google.send(request({ action: 'DELETE' })))).code).toBe('UNSUPPORTED');
  });

  it.each(['PRIVATE_REPLY', 'DIRECT_MESSAGE', 'HIDE', 'UNHIDE', 'EMAIL'] as const)(
    '%s → UNSUPPORTED',
    async (action) => {
      expect((await code(google.send(request({ action })))).code).toBe('UNSUPPORTED');
      expect(api.requests).toHaveLength(0);
    },
  );

  it('maps errors: 401 → AUTH_EXPIRED, 403 → REJECTED, 429 → RATE_LIMITED (Retry-After), 5xx and timeouts → TRANSIENT, 400 → REJECTED', async () => {
    expect((await code(google.send(request({ credentials: { accessToken: 'revoked' } })))).code).toBe(
      'AUTH_EXPIRED',
    );
    // 403 PERMISSION_DENIED: the token is valid but may not act on this location; reconnecting won't help.
    api.failNext({ status: 403, message: 'The caller does not have permission' });
    const denied = await code(google.send(request()));
    expect([denied.code, denied.message]).toEqual([
      'REJECTED',
      'Google updateReply: 403 PERMISSION_DENIED The caller does not have permission',
    ]);
    api.failNext({ status: 401 });
    expect((await code(google.send(request()))).code).toBe('AUTH_EXPIRED');
    api.failNext({ status: 429, retryAfter: '17' });
    const limited = await code(google.send(request()));
    expect([limited.code, limited.retryAfterSeconds]).toEqual(['RATE_LIMITED', 17]);
    api.failNext({ status: 503 });
    expect((await code(google.send(request()))).code).toBe('TRANSIENT');
    api.failNext({ hang: true });
    expect((await code(google.send(request()))).code).toBe('TRANSIENT');
    api.failNext({ status: 400 });
    expect((await code(google.send(request()))).code).toBe('REJECTED');
    expect((await code(google.send(request({ credentials: {} })))).code).toBe('AUTH_EXPIRED');
    expect((await code(google.send(request({ target: { reviewName: '../../admin' } })))).code).toBe(
      'REJECTED',
    );
  });
});
