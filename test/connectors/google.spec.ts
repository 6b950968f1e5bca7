import { ConnectorError, OutboundRequest, WebhookRequest } from '@caredesk/channels';
import { GoogleConnector, secretsEqual } from '../../libs/channels/src/connectors/google/google.connector';
import { FakeGoogleApi, googleNotification, pubsubPush, startFakeGoogleApi } from '../fakes/google-api';

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

  it('accepts the right token: one delivery keyed on the Pub/Sub messageId, routed by location', () => {
    const verdict = google.verifyWebhook(push(pubsubPush(googleNotification('new-review'), '9182736450')));
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
  ])('rejects %s with 403', (_what, token) => {
    expect(google.verifyWebhook(push(pubsubPush(googleNotification('new-review')), token))).toMatchObject({
      kind: 'rejected',
      status: 403,
    });
  });

  it('rejects everything when no push token is configured', () => {
    const unconfigured = new GoogleConnector({ google: { apiUrl: 'http://unused' }, timeoutMs: 1000 });
    expect(unconfigured.verifyWebhook(push(pubsubPush(googleNotification('new-review'))))).toMatchObject({
      kind: 'rejected',
    });
  });

  it('acknowledges, storing nothing, a verified push that is not a review or not readable', () => {
    for (const body of [pubsubPush(googleNotification('google-update')), { message: { data: '!!' } }, 'x']) {
      expect(google.verifyWebhook(push(body))).toEqual({ kind: 'accepted', deliveries: [] });
    }
  });

  it('compares secrets in constant time whatever their lengths', () => {
    expect(secretsEqual('a', 'a')).toBe(true);
    expect(secretsEqual('a', 'ab')).toBe(false);
  });
});

describe('Google normalize', () => {
  const google = new GoogleConnector({
    google: { pushToken: TOKEN, apiUrl: 'http://unused' },
    timeoutMs: 1000,
  });
  const normalize = (fixture: string) => {
    const verdict = google.verifyWebhook(push(pubsubPush(googleNotification(fixture), 'm-1')));
    if (verdict.kind !== 'accepted') throw new Error('not accepted');
    return google.normalize(verdict.deliveries[0]);
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
