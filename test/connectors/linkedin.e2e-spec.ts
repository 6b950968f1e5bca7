import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { waitForFinalStatus } from '../outbound/outbound-support';
import { Pipeline, SignedUp, startPipeline } from '../support/pipeline';
import { FakeLinkedInApi, signedLinkedInDelivery } from '../fakes/linkedin-api';

const SECRET = 'linkedin-client-secret-e2e';
const FIXTURE_ORG = 'urn:li:organization:2414183';
const POST = 'urn:li:share:7260000000000000001';
const TOP = 'urn:li:comment:(urn:li:activity:7260000000000000010,7260000000000000011)';
const NESTED = 'urn:li:comment:(urn:li:activity:7260000000000000010,7260000000000000031)';
const OWN = 'urn:li:comment:(urn:li:activity:7260000000000000010,7260000000000000021)';
const REPLY = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { id } }`;

/**
 * LinkedIn end to end: signed organization social action notifications → /webhooks/linkedin →
 * inbound_events → ingest → rows; an agent's reply → a nested comment on the fake LinkedIn API.
 */
describe('LinkedIn connector end to end', () => {
  let fake: FakeLinkedInApi;
  let p: Pipeline;
  let a: SignedUp;
  let org: string;
  let channelId: string;

  /** A fixture re-addressed to this run's organization, with notification ids unique to the run. */
  const fixture = (name: string) => {
    const body = JSON.parse(
      readFileSync(join(__dirname, '../fixtures/linkedin', name), 'utf8')
        .split(FIXTURE_ORG)
        .join(org),
    );
    for (const n of body.notifications) n.notificationId = `${org.split(':').pop()}-${n.notificationId}`;
    return body;
  };
  const post = (body: unknown, headers?: Record<string, string>) => {
    const signed = signedLinkedInDelivery(body, SECRET);
    return fetch(`${p.t.baseUrl}/webhooks/linkedin`, {
      method: 'POST',
      headers: headers ?? signed.headers,
      body: signed.rawBody,
    });
  };
  const deliver = async (name: string) => {
    expect((await post(fixture(name))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
  };
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
    fake = await new FakeLinkedInApi().start();
    p = await startPipeline({
      LINKEDIN_CLIENT_SECRET: SECRET,
      LINKEDIN_API_URL: fake.url,
      SWEEP_AFTER_SECONDS: '3600',
      PLATFORM_TIMEOUT_MS: '1000',
    });
    a = await p.signUp('LinkedIn agency');
    const brandId = await p.createBrand(a);
    org = `urn:li:organization:${Date.now()}${Math.floor(Math.random() * 1000)}`;
    channelId = (await p.connectChannel(a, brandId, 'LINKEDIN', org, { accessToken: 'li-org-token' })).id;
  });
  afterAll(async () => {
    await p?.close();
    await fake?.stop();
  });

  it('answers the challengeCode validation', async () => {
    const code = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    const res = await fetch(`${p.t.baseUrl}/webhooks/linkedin?challengeCode=${code}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      challengeCode: code,
      challengeResponse: createHmac('sha256', SECRET).update(code).digest('hex'),
    });
  });

  it('refuses a wrong or missing X-LI-Signature and writes nothing', async () => {
    const before = await p.t.count('inbound_events');
    const body = JSON.stringify(fixture('comment.json'));
    const wrong = createHmac('sha256', 'not-the-secret').update(`hmacsha256=${body}`).digest('hex');
    expect((await post(body, { 'content-type': 'application/json', 'x-li-signature': wrong })).status).toBe(
      403,
    );
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(401);
    expect(await p.t.count('inbound_events')).toBe(before);
    expect(await p.t.count('messages')).toBe(0);
  });

  it('a comment → COMMENT conversation on its top-level thread, contact by member URN', async () => {
    await deliver('comment.json');
    const m = await messageRow(TOP);
    expect(m).toMatchObject({
      direction: 'INBOUND',
      kind: 'COMMENT',
      thread_key: `comment:${POST}:${TOP}`,
      body: 'Will the weekend line still be open?',
    });
    const [identity] = await p.t.ownerQuery(
      `SELECT * FROM contact_identities WHERE agency_id = $1 AND platform = 'LINKEDIN' AND external_user_id = $2`,
      [a.agencyId, 'urn:li:person:Ab12Cd34Ef'],
    );
    expect(identity.contact_id).toBe(m.conv_contact);
  });

  it("the org's own reply and the member's reply join that thread; repeats give one message", async () => {
    await deliver('own-comment.json');
    await deliver('reply-comment.json');
    await deliver('reply-comment.json');
    await deliver('reply-comment.json');
    const top = await messageRow(TOP);
    expect(await messageRow(OWN)).toMatchObject({
      direction: 'OUTBOUND',
      conversation_id: top.conversation_id,
    });
    expect(await messageRow(NESTED)).toMatchObject({
      direction: 'INBOUND',
      conversation_id: top.conversation_id,
    });
    // The organization is never a contact of its own brand; the thread keeps its member's contact.
    expect(
      await p.t.count(`contact_identities WHERE agency_id = $1 AND external_user_id = $2`, [a.agencyId, org]),
    ).toBe(0);
    expect((await messageRow(OWN)).conv_contact).toBe(top.conv_contact);
    expect(await p.t.count('messages WHERE agency_id = $1 AND external_id = $2', [a.agencyId, NESTED])).toBe(
      1,
    );
  });

  it('a mention → its own MENTION conversation', async () => {
    await deliver('mention.json');
    expect(await messageRow('urn:li:share:7260000000000000500')).toMatchObject({
      kind: 'MENTION',
      thread_key: 'mention:urn:li:share:7260000000000000500',
    });
  });

  it('an agent reply → nested comment as the org, under the top-level comment', async () => {
    const conv = (await messageRow(TOP)).conversation_id;
    fake.reset();
    await a.client.ok(REPLY, { input: { conversationId: conv, body: 'Yes — weekends 9 to 5.' } });
    const deadline = Date.now() + 20_000;
    while (fake.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [r] = fake.requests;
    expect(r).toMatchObject({
      method: 'POST',
      url: `/rest/socialActions/${encodeURIComponent(TOP)}/comments`,
    });
    expect(r.headers.authorization).toBe('Bearer li-org-token');
    expect(r.body).toEqual({
      actor: org,
      object: 'urn:li:activity:7260000000000000010',
      message: { text: 'Yes — weekends 9 to 5.' },
      parentComment: TOP,
    });
  });

  it('an answer lost after LinkedIn created the comment: reconciled from its comments, never posted twice', async () => {
    const conv = (await messageRow(TOP)).conversation_id;
    fake.reset();
    fake.failNext('accept-then-hang');
    const { replyToConversation } = await a.client.ok(REPLY, {
      input: { conversationId: conv, body: 'Posted once, even though the answer got lost' },
    });
    const row = await waitForFinalStatus(p.t, replyToConversation.id, 30_000);
    expect(row.status).toBe('SENT');
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(fake.requests[1].url).toBe(`/rest/socialActions/${encodeURIComponent(TOP)}/comments?count=50`);
    expect(row.external_id).toBe(fake.comments.at(-1)!.element.commentUrn);
  });

  it('an edit updates the comment, a deletion marks it deleted', async () => {
    await deliver('edit-and-delete.json');
    expect((await messageRow(TOP)).body).toBe('Will the weekend phone line still be open?');
    expect((await messageRow(NESTED)).deleted_at).not.toBeNull();
  });

  it('LinkedIn answering 401 to a reply → the channel needs reconnecting', async () => {
    const conv = (await messageRow('urn:li:share:7260000000000000500')).conversation_id;
    fake.reset();
    fake.failNext({
      status: 401,
      body: {
        status: 401,
        serviceErrorCode: 65601,
        code: 'REVOKED_ACCESS_TOKEN',
        message: 'The token used in the request has been revoked by the user',
      },
    });
    await a.client.ok(REPLY, { input: { conversationId: conv, body: 'Thanks for the shout-out!' } });
    const deadline = Date.now() + 20_000;
    let status = '';
    while (Date.now() < deadline) {
      [{ status }] = await p.t.ownerQuery(`SELECT status FROM channels WHERE agency_id = $1 AND id = $2`, [
        a.agencyId,
        channelId,
      ]);
      if (status === 'NEEDS_RECONNECT') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('NEEDS_RECONNECT');
    expect(fake.requests).toHaveLength(1);
  });
});
