import { RECONNECT } from '../channels/channel-helpers';
import { FakeMetaGraph, graphErrors } from '../fakes/meta-graph';
import {
  META_TEST_APP_SECRET,
  metaFixture,
  postMetaWebhook,
  signedMetaDelivery,
} from '../fakes/meta-webhook';
import { eventually } from '../support/eventually';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';

const FIXTURE_IG = '17841400000000001';
const COMMENT_ID = '17894227972186120';

/**
 * A mention must be read through the channel (hydration). When Meta refuses the channel's token, the
 * mention neither fails nor burns its attempts: the channel becomes NEEDS_RECONNECT (admins mailed),
 * the event waits, and reconnecting the channel reads it with the new token.
 */
describe('Instagram mention while the channel token is refused', () => {
  let graph: FakeMetaGraph;
  let smtp: SmtpCapture;
  let p: Pipeline;
  let a: SignedUp;
  let ig: { id: string; externalAccountId: string };

  beforeAll(async () => {
    graph = await FakeMetaGraph.start(META_TEST_APP_SECRET);
    smtp = await startSmtpCapture();
    p = await startPipeline({
      META_APP_SECRET: META_TEST_APP_SECRET,
      META_VERIFY_TOKEN: 'verify-token-e2e',
      META_GRAPH_API_URL: graph.url,
      PLATFORM_TIMEOUT_MS: '2000',
      SMTP_URL: smtp.url,
    });
    a = await p.signUp('Mentions Agency');
    const brandId = await p.createBrand(a);
    ig = await p.connectChannel(a, brandId, 'INSTAGRAM', uniqueAccountId('ig'), { accessToken: 'EAAG-old' });
  });
  afterAll(async () => {
    await p?.close();
    await graph?.close();
    await smtp?.close();
  });

  const mentionDelivery = (commentId: string) =>
    signedMetaDelivery(metaFixture('ig-mention'), {
      replaceIds: { [FIXTURE_IG]: ig.externalAccountId, [COMMENT_ID]: commentId },
    });
  const event = async (commentId: string) =>
    // Mentions carry no event id (the key is a hash of the entry): found by their comment id.
    (
      await p.t.ownerQuery(
        `SELECT status, attempts, last_error FROM inbound_events
          WHERE payload -> 'changes' -> 0 -> 'value' ->> 'comment_id' = $1`,
        [commentId],
      )
    )[0];
  const channelStatus = async () =>
    (await p.t.ownerQuery(`SELECT status FROM channels WHERE id = $1`, [ig.id]))[0].status as string;

  it('waits for the reconnect, mails the admins once, then reads the mention with the new token', async () => {
    graph.mentionedComments.set(COMMENT_ID, {
      id: COMMENT_ID,
      text: '@acme.coffee still waiting for my refund',
      username: 'ola.nordmann',
      timestamp: '2026-11-22T10:00:00+0000',
    });
    graph.answerNext(graphErrors.tokenExpired(), 1, 'GET');
    expect((await postMetaWebhook(p.t.baseUrl, mentionDelivery(COMMENT_ID))).status).toBe(200);

    await eventually(async () =>
      (await event(COMMENT_ID))?.status === 'WAITING_FOR_RECONNECT' ? true : undefined,
    );
    expect(await event(COMMENT_ID)).toMatchObject({
      attempts: 0,
      last_error: expect.stringMatching(/^AUTH_EXPIRED/),
    });
    expect(await channelStatus()).toBe('NEEDS_RECONNECT');
    const mail = await smtp.waitFor((m) => m.to.includes(a.email.toLowerCase()));
    expect(mail.subject).toMatch(/^Reconnect /);
    expect(mail.text).toContain(`/channels/${ig.id}`);

    // A second mention while the channel waits: not read with the refused token at all.
    const second = '17894227972186999';
    const getsBefore = graph.requests.filter((r) => r.method === 'GET').length;
    expect((await postMetaWebhook(p.t.baseUrl, mentionDelivery(second))).status).toBe(200);
    await eventually(async () =>
      (await event(second))?.status === 'WAITING_FOR_RECONNECT' ? true : undefined,
    );
    expect(graph.requests.filter((r) => r.method === 'GET')).toHaveLength(getsBefore);
    expect(smtp.messages.filter((m) => m.to.includes(a.email.toLowerCase()))).toHaveLength(1);
    expect(await p.t.count(`messages WHERE agency_id = $1`, [a.agencyId])).toBe(0);

    graph.mentionedComments.set(second, { id: second, text: 'me too!', username: 'kari' });
    await a.client.ok(RECONNECT, { input: { id: ig.id, credentials: { accessToken: 'EAAG-fresh' } } });
    await eventually(async () =>
      (await event(COMMENT_ID))?.status === 'PROCESSED' && (await event(second))?.status === 'PROCESSED'
        ? true
        : undefined,
    );
    const bodies = await p.t.ownerQuery(`SELECT body FROM messages WHERE agency_id = $1 ORDER BY body`, [
      a.agencyId,
    ]);
    expect(bodies).toEqual([{ body: '@acme.coffee still waiting for my refund' }, { body: 'me too!' }]);
    const reads = graph.requests.filter((r) => r.method === 'GET').slice(getsBefore);
    expect(reads.map((r) => r.authorization)).toEqual(['Bearer EAAG-fresh', 'Bearer EAAG-fresh']);
    expect(await channelStatus()).toBe('ACTIVE');
  });
});
