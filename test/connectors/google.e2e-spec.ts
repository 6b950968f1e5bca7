import { FakeGoogleApi, googleNotification, pubsubPush, startFakeGoogleApi } from '../fakes/google-api';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';
import { eventually } from '../support/eventually';
import { FakeGoogleOidc, oidcKey, startFakeGoogleOidc } from '../fakes/google-oidc';
import { metricValue } from '../pipeline/pipeline-helpers';

const TOKEN = 'google-push-token-e2e-1';
const REPLY = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { id status } }`;

/** Google Business Profile through the real intake: Pub/Sub push → rows → owner reply to the fake API. */
describe('Google Business Profile end to end', () => {
  let api: FakeGoogleApi;
  let p: Pipeline;
  let a: SignedUp;
  let location: string;
  let account: string;

  /** A fixture moved to this run's own Google account (channel routes are global). */
  const notification = (name: string) =>
    JSON.parse(JSON.stringify(googleNotification(name)).replaceAll('108194857201938475610', account));
  const push = (body: unknown, token = TOKEN) =>
    fetch(`${p.t.baseUrl}/webhooks/google?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    api = await startFakeGoogleApi();
    p = await startPipeline({ GOOGLE_PUSH_TOKEN: TOKEN, GOOGLE_API_URL: api.url });
    a = await p.signUp('Google agency');
    const brandId = await p.createBrand(a);
    account = uniqueAccountId('g').replace(/[^0-9a-z]/gi, '');
    location = `accounts/${account}/locations/4471935571108419261`;
    await p.connectChannel(a, brandId, 'GOOGLE_BUSINESS', location, { accessToken: 'google-access-token' });
  });
  afterAll(async () => {
    await p?.close();
    await api?.close();
  });

  it('a wrong or missing push token → 403 and nothing stored', async () => {
    const body = pubsubPush(notification('new-review'));
    expect((await push(body, 'not-the-token')).status).toBe(403);
    expect((await fetch(`${p.t.baseUrl}/webhooks/google`, { method: 'POST', body: '{}' })).status).toBe(403);
    expect(await p.t.count('inbound_events WHERE agency_id = $1', [a.agencyId])).toBe(0);
  });

  it('a new review, delivered 3 times → one REVIEW conversation, contact and message with its rating', async () => {
    const body = pubsubPush(notification('new-review'), 'msg-new-1');
    for (let i = 0; i < 3; i++) expect((await push(body)).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });

    const review = `${location}/reviews/AbFvOqmX5d2kR8sT-fQ1`;
    const conversations = await p.t.ownerQuery(
      `SELECT kind, thread_key FROM conversations WHERE agency_id = $1`,
      [a.agencyId],
    );
    expect(conversations).toEqual([{ kind: 'REVIEW', thread_key: `review:${review}` }]);
    const messages = await p.t.ownerQuery(
      `SELECT direction, external_id, body, rating FROM messages WHERE agency_id = $1`,
      [a.agencyId],
    );
    expect(messages).toEqual([
      {
        direction: 'INBOUND',
        external_id: review,
        body: 'Waited 40 minutes for a table although we had booked. The food was good, the service was not.',
        rating: 2,
      },
    ]);
    const [contact] = await p.t.ownerQuery(`SELECT display_name FROM contacts WHERE agency_id = $1`, [
      a.agencyId,
    ]);
    expect(contact.display_name).toBe('Marta Kowalska');
  });

  it('UPDATED_REVIEW edits the same message: its text and its star rating (TWO → FOUR)', async () => {
    expect((await push(pubsubPush(notification('updated-review'), 'msg-upd-1'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    const rows = await p.t.ownerQuery(`SELECT body, rating, edited_at FROM messages WHERE agency_id = $1`, [
      a.agencyId,
    ]);
    expect(rows).toEqual([
      {
        body: 'Update: the manager called us and apologised. Fair enough, we will come back.',
        rating: 4,
        edited_at: expect.any(Date),
      },
    ]);
    // The inbox shows the stars and the edit: on the conversation's last message and in its messages.
    const [conv] = await p.t.ownerQuery(`SELECT id FROM conversations WHERE agency_id = $1`, [a.agencyId]);
    const { conversation } = await a.client.ok(
      `query($id: ID!) { conversation(id: $id) { lastMessage { rating editedAt } messages(first: 5) { edges { node { rating editedAt } } } } }`,
      { id: conv.id },
    );
    expect(conversation.lastMessage).toEqual({ rating: 4, editedAt: expect.any(String) });
    expect(conversation.messages.edges.map((e: any) => e.node)).toEqual([
      { rating: 4, editedAt: expect.any(String) },
    ]);
  });

  it('replying to the review → PUT …/reply on the fake API, message SENT', async () => {
    const [conv] = await p.t.ownerQuery(`SELECT id FROM conversations WHERE agency_id = $1`, [a.agencyId]);
    const { replyToConversation } = await a.client.ok(REPLY, {
      input: { conversationId: conv.id, body: 'Thank you Marta, see you soon!', visibility: 'PUBLIC' },
    });
    const review = `${location}/reviews/AbFvOqmX5d2kR8sT-fQ1`;
    const status = await eventually(async () => {
      const [m] = await p.t.ownerQuery(`SELECT status, external_id FROM messages WHERE id = $1`, [
        replyToConversation.id,
      ]);
      return m.status === 'SENT' || m.status === 'FAILED' ? m : undefined;
    });
    expect(status).toEqual({ status: 'SENT', external_id: `${review}/reply` });
    expect(api.requests.filter((r) => r.method === 'PUT')).toEqual([
      expect.objectContaining({
        path: `/v4/${review}/reply`,
        body: { comment: 'Thank you Marta, see you soon!' },
        headers: expect.objectContaining({ authorization: 'Bearer google-access-token' }),
      }),
    ]);
  });
  /** The first review's notification as Google would send it once the review has this reply. */
  const withReply = (comment: string, updateTime: string) => {
    const n = notification('updated-review');
    n.review.reviewReply = { comment, updateTime };
    return n;
  };
  const messagesOf = (conversationId: string) =>
    p.t.ownerQuery(
      `SELECT direction, external_id, body, status, edited_at FROM messages
        WHERE agency_id = $1 AND conversation_id = $2 ORDER BY platform_created_at, created_at`,
      [a.agencyId, conversationId],
    );

  it('our reply seen again in a notification is not recorded twice; edited in Google, it is updated', async () => {
    const review = `${location}/reviews/AbFvOqmX5d2kR8sT-fQ1`;
    const [conv] = await p.t.ownerQuery(`SELECT id FROM conversations WHERE agency_id = $1`, [a.agencyId]);
    const sentAt = new Date().toISOString();
    expect(
      (await push(pubsubPush(withReply('Thank you Marta, see you soon!', sentAt), 'msg-upd-2'))).status,
    ).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    expect(await messagesOf(conv.id)).toEqual([
      expect.objectContaining({ direction: 'INBOUND', external_id: review }),
      // Caredesk's own reply, not edited by seeing its own text again.
      expect.objectContaining({ direction: 'OUTBOUND', external_id: `${review}/reply`, edited_at: null }),
    ]);

    const later = new Date(Date.now() + 60_000).toISOString();
    const edited = 'Thank you Marta, see you soon! Ask for Jonas, he will have your table ready.';
    expect((await push(pubsubPush(withReply(edited, later), 'msg-upd-3'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    expect(await messagesOf(conv.id)).toEqual([
      expect.objectContaining({ direction: 'INBOUND' }),
      expect.objectContaining({ external_id: `${review}/reply`, body: edited, edited_at: new Date(later) }),
    ]);
  });

  it("a reply written in Google's own UI is recorded as the brand's message and ends the wait", async () => {
    const n = notification('owner-replied');
    expect((await push(pubsubPush(n, 'msg-owner-1'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    const [conv] = await p.t.ownerQuery(
      `SELECT id, awaiting_reply_since, last_message_at FROM conversations WHERE agency_id = $1 AND thread_key = $2`,
      [a.agencyId, `review:${n.review.name}`],
    );
    expect(conv).toMatchObject({
      awaiting_reply_since: null,
      last_message_at: new Date('2026-11-23T19:30:02.318Z'),
    });
    expect(await messagesOf(conv.id)).toEqual([
      {
        direction: 'INBOUND',
        external_id: n.review.name,
        body: n.review.comment,
        status: 'RECEIVED',
        edited_at: null,
      },
      {
        direction: 'OUTBOUND',
        external_id: `${n.review.name}/reply`,
        body: 'Tusen takk, Lars! Velkommen tilbake.',
        status: 'SENT',
        edited_at: null,
      },
    ]);
    // Nothing was sent by Caredesk for it.
    expect(api.requests.filter((r) => r.path.includes('AbFvOqnR2c7yT1wQ-kZ9'))).toEqual([]);
  });
});

/** Pub/Sub push with OIDC auth configured: only a token Google signed for us gets a row. */
describe('Google push OIDC authentication end to end', () => {
  const AUDIENCE = 'https://caredesk.example/webhooks/google';
  const ACCOUNT = 'gbp-push@caredesk-prod.iam.gserviceaccount.com';
  let oidc: FakeGoogleOidc;
  let p: Pipeline;
  let a: SignedUp;
  let account: string;

  const notification = () =>
    JSON.parse(JSON.stringify(googleNotification('new-review')).replaceAll('108194857201938475610', account));
  const push = (jwt: string, messageId: string) =>
    fetch(`${p.t.baseUrl}/webhooks/google`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      body: JSON.stringify(pubsubPush(notification(), messageId)),
    });

  beforeAll(async () => {
    oidc = await startFakeGoogleOidc({ audience: AUDIENCE, serviceAccount: ACCOUNT });
    p = await startPipeline(
      {
        GOOGLE_PUSH_AUDIENCE: AUDIENCE,
        GOOGLE_PUSH_SERVICE_ACCOUNT: ACCOUNT,
        GOOGLE_OIDC_CERTS_URL: oidc.url,
        GOOGLE_API_URL: 'http://127.0.0.1:9',
      },
      { worker: false },
    );
    a = await p.signUp('Google OIDC agency');
    const brandId = await p.createBrand(a);
    account = uniqueAccountId('o').replace(/[^0-9a-z]/gi, '');
    await p.connectChannel(
      a,
      brandId,
      'GOOGLE_BUSINESS',
      `accounts/${account}/locations/4471935571108419261`,
      {
        accessToken: 'google-access-token',
      },
    );
  });
  afterAll(async () => {
    await p?.close();
    await oidc?.close();
  });

  it('wrong audience, wrong service account, expired, bad signature, unknown key → 403, no row, counted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const impostor = await oidcKey();
    const bad: Array<[string, string]> = [
      ['wrong audience', oidc.token({ aud: 'https://someone-else.example' })],
      ['wrong service account', oidc.token({ email: 'intruder@evil.iam.gserviceaccount.com' })],
      ['token expired', oidc.token({ iat: now - 7200, exp: now - 3600 })],
      ['bad signature or claims', oidc.token({}, { ...impostor, kid: oidc.published[0].kid })],
      ['unknown key id', oidc.token({}, impostor)],
    ];
    for (const [reason, jwt] of bad) {
      const before = await metricValue(p.t, 'caredesk_webhook_rejected_total', {
        platform: 'google',
        reason,
      });
      expect([reason, (await push(jwt, `bad-${reason}`)).status]).toEqual([reason, 403]);
      expect(await metricValue(p.t, 'caredesk_webhook_rejected_total', { platform: 'google', reason })).toBe(
        before + 1,
      );
    }
    expect(await p.t.count('inbound_events WHERE agency_id = $1', [a.agencyId])).toBe(0);
  });

  it('a token Google signed for our audience and service account → 200 and the delivery stored', async () => {
    expect((await push(oidc.token(), 'oidc-good-1')).status).toBe(200);
    expect(await p.t.count('inbound_events WHERE agency_id = $1', [a.agencyId])).toBe(1);
  });
});
