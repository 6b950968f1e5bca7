import { FakeTikTokApi, startFakeTikTokApi, tiktokFixture, tiktokSignature } from '../fakes/tiktok-api';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';
import { eventually } from '../support/eventually';

const SECRET = 'tiktok-client-secret-e2e';
const BIZ = '-000Rq8ZPbQ3tWbY9g0s7yUuV4nXkLm2aB1c';
const VIDEO = '7440129384756102938';
const TOP = '7441938475610294817';
const REPLY = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { id status } }`;

/** TikTok comments through the real intake (signed webhook) → rows → a reply to the fake Business API. */
describe('TikTok end to end', () => {
  let api: FakeTikTokApi;
  let p: Pipeline;
  let a: SignedUp;
  let openId: string;

  /** A fixture for this run's business account, exactly as TikTok would POST it. */
  const body = (name: string) => Buffer.from(tiktokFixture(name).toString('utf8').replaceAll(BIZ, openId));
  const post = (raw: Buffer, signature = tiktokSignature(raw, SECRET)) =>
    fetch(`${p.t.baseUrl}/webhooks/tiktok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'tiktok-signature': signature },
      body: raw,
    });

  beforeAll(async () => {
    api = await startFakeTikTokApi();
    p = await startPipeline({ TIKTOK_CLIENT_SECRET: SECRET, TIKTOK_API_URL: api.url });
    a = await p.signUp('TikTok agency');
    const brandId = await p.createBrand(a);
    openId = uniqueAccountId('-000tt');
    await p.connectChannel(a, brandId, 'TIKTOK', openId, { accessToken: 'act.tiktok-access-token' });
  });
  afterAll(async () => {
    await p?.close();
    await api?.close();
  });

  it('a bad signature or a stale timestamp → 401 and nothing stored', async () => {
    const raw = body('comment-create');
    expect((await post(raw, tiktokSignature(raw, 'wrong-secret-123'))).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect((await post(raw, tiktokSignature(raw, SECRET, stale))).status).toBe(401);
    expect(await p.t.count('inbound_events WHERE agency_id = $1', [a.agencyId])).toBe(0);
  });

  it('a comment (3 times), a reply to it and our own reply, out of order → one thread, three messages', async () => {
    // The reply and our answer arrive before the comment they answer. Each is processed before the
    // next is sent: two events of one new thread processed at the same moment are the ingest
    // worker's race to settle, not this connector's.
    expect((await post(body('comment-reply'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    expect((await post(body('own-reply'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    for (let i = 0; i < 3; i++) expect((await post(body('comment-create'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });

    const conversations = await p.t.ownerQuery(
      `SELECT kind, thread_key FROM conversations WHERE agency_id = $1`,
      [a.agencyId],
    );
    expect(conversations).toEqual([{ kind: 'COMMENT', thread_key: `comment:${VIDEO}:${TOP}` }]);
    const messages = await p.t.ownerQuery(
      `SELECT external_id, direction FROM messages WHERE agency_id = $1 ORDER BY external_id`,
      [a.agencyId],
    );
    expect(messages).toEqual([
      { external_id: TOP, direction: 'INBOUND' },
      { external_id: '7441940012938475011', direction: 'INBOUND' },
      { external_id: '7441941123344556677', direction: 'OUTBOUND' },
    ]);
  });

  it("our reply delivered without `owner` is recognised by its author (the channel's account): OUTBOUND, not a contact", async () => {
    expect((await post(body('own-reply-no-owner'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    const [row] = await p.t.ownerQuery(
      `SELECT m.direction, m.author_identity_id, c.thread_key FROM messages m
         JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
        WHERE m.agency_id = $1 AND m.external_id = '7441942234455667788'`,
      [a.agencyId],
    );
    expect(row).toEqual({
      direction: 'OUTBOUND',
      author_identity_id: null,
      thread_key: `comment:${VIDEO}:${TOP}`,
    });
    expect(
      await p.t.count('contact_identities WHERE agency_id = $1 AND external_user_id = $2', [
        a.agencyId,
        openId,
      ]),
    ).toBe(0);
  });

  it('a deletion marks the reply deleted; hiding a comment changes nothing yet', async () => {
    expect((await post(body('comment-delete'))).status).toBe(200);
    expect((await post(body('comment-hidden'))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    const rows = await p.t.ownerQuery(
      `SELECT external_id, deleted_at IS NOT NULL AS deleted FROM messages
       WHERE agency_id = $1 AND external_id IN ($2, '7441940012938475011') ORDER BY external_id`,
      [a.agencyId, TOP],
    );
    expect(rows).toEqual([
      { external_id: TOP, deleted: false },
      { external_id: '7441940012938475011', deleted: true },
    ]);
  });

  it('replying publicly → POST comment/reply/create on the fake API, message SENT with the new comment id', async () => {
    const [conv] = await p.t.ownerQuery(`SELECT id FROM conversations WHERE agency_id = $1`, [a.agencyId]);
    const { replyToConversation } = await a.client.ok(REPLY, {
      input: { conversationId: conv.id, body: 'We are on it, check your DMs!', visibility: 'PUBLIC' },
    });
    const sent = await eventually(async () => {
      const [m] = await p.t.ownerQuery(
        `SELECT status, external_id, failure_code, failure_message FROM messages WHERE id = $1`,
        [replyToConversation.id],
      );
      return m.status === 'SENT' || m.status === 'FAILED' ? m : undefined;
    });
    expect(sent).toMatchObject({ status: 'SENT', external_id: expect.stringMatching(/^74419\d+$/) });
    expect(api.requests).toEqual([
      expect.objectContaining({
        path: '/open_api/v1.3/business/comment/reply/create/',
        headers: expect.objectContaining({ 'access-token': 'act.tiktok-access-token' }),
        body: {
          business_id: openId,
          video_id: VIDEO,
          comment_id: TOP,
          text: 'We are on it, check your DMs!',
        },
      }),
    ]);
  });
});
