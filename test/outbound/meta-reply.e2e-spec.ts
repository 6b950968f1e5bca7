import { randomUUID } from 'node:crypto';
import { FakeMetaGraph, graphErrors } from '../fakes/meta-graph';
import { startSmtpCapture, SmtpCapture } from '../support/smtp-capture';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker, TestWorker } from '../support/test-worker';
import {
  reply,
  seedAgency,
  seedConversation,
  Seeded,
  waitFor,
  waitForFinalStatus,
  withNewCustomer,
} from './outbound-support';

const PAGE_ID = '105889502219999';

/** End to end through the real Meta connector against the Graph API fake (no test connector). */
describe('replies through the Meta connector', () => {
  let graph: FakeMetaGraph;
  let smtp: SmtpCapture;
  let t: TestApp;
  let worker: TestWorker;
  let a: Seeded;

  beforeAll(async () => {
    graph = await FakeMetaGraph.start();
    smtp = await startSmtpCapture();
    t = await startTestApp({
      META_GRAPH_API_URL: graph.url,
      SMTP_URL: smtp.url,
      PLATFORM_TIMEOUT_MS: '2000',
    });
    worker = await startTestWorker();
    a = await seedAgency(t);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await graph?.close();
    await smtp?.close();
  });

  it('a public reply to a Facebook comment is POSTed to /{comment-id}/comments and SENT with its id', async () => {
    const c = await seedConversation(t, a, 'COMMENT');
    const queued = await reply(a.agency.client, c.conversationId, 'Thanks for flagging this!');
    const sent = await waitForFinalStatus(t, queued.id);
    expect(sent.status).toBe('SENT');
    const calls = graph.requests.filter((r) => r.method === 'POST');
    expect(calls).toHaveLength(1);
    expect(calls[0].path).toBe(`/${c.externalId}/comments`);
    expect(calls[0].body).toMatchObject({ message: 'Thanks for flagging this!' });
    expect(calls[0].authorization).toMatch(/EAAG-secret-/);
    expect(sent.external_id).toMatch(/_fake\d+$/);
  });

  it('a DM reply goes through the Send API to the customer and is SENT with the message id', async () => {
    graph.reset();
    const dana = await withNewCustomer(t, a);
    const c = await seedConversation(t, dana, 'DM');
    const queued = await reply(a.agency.client, c.conversationId, 'Could you share your order number?');
    const sent = await waitForFinalStatus(t, queued.id);
    expect(sent.status).toBe('SENT');
    const [call] = graph.requests.filter((r) => r.method === 'POST');
    expect(call.path).toBe(`/${a.accountId}/messages`);
    expect(call.body).toMatchObject({
      recipient: { id: dana.authorId },
      messaging_type: 'RESPONSE',
      message: { text: 'Could you share your order number?' },
    });
    expect(sent.external_id).toMatch(/^m_fake\d+$/);
  });
  describe('a lost answer is reconciled, never posted twice', () => {
    it('an Instagram comment reply: read back from /{ig-comment-id}/replies and SENT with its id', async () => {
      graph.reset();
      const token = `EAAG-ig-${randomUUID()}`;
      const ig = await seedAgency(t, 'INSTAGRAM', { credentials: { accessToken: token } });
      graph.tokenOwners.set(token, PAGE_ID);
      graph.linkedInstagram.set(PAGE_ID, ig.accountId);
      const c = await seedConversation(t, ig, 'COMMENT');
      graph.answerNext('accept-then-hang');
      const queued = await reply(ig.agency.client, c.conversationId, 'We are looking into it.');
      const sent = await waitForFinalStatus(t, queued.id);
      expect(sent.status).toBe('SENT');
      const posts = graph.requests.filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.path)).toEqual([`/${c.externalId}/replies`]);
      expect(graph.requests.some((r) => r.method === 'GET' && r.path === `/${c.externalId}/replies`)).toBe(
        true,
      );
      expect(graph.created).toHaveLength(1);
      expect(sent.external_id).toBe(graph.created[0]);
    });

    /** An Instagram channel and a mention conversation whose message carries the mention's ids. */
    async function mentionConversation() {
      const token = `EAAG-ig-${randomUUID()}`;
      const ig = await seedAgency(t, 'INSTAGRAM', { credentials: { accessToken: token } });
      graph.tokenOwners.set(token, PAGE_ID);
      graph.linkedInstagram.set(PAGE_ID, ig.accountId);
      const c = await seedConversation(t, ig, 'MENTION');
      const mediaId = `1791${Date.now()}`;
      await t.ownerQuery(`UPDATE messages SET reply_context = $2 WHERE id = $1`, [
        c.messageId,
        { surface: 'ig_mention', igUserId: ig.accountId, mediaId, commentId: c.externalId },
      ]);
      graph.mentionedComments.set(c.externalId, { id: c.externalId, text: '@brand where is my parcel?' });
      return { ig, c };
    }

    it('an Instagram mention reply: read back from mentioned_comment{replies} and SENT with its id', async () => {
      graph.reset();
      const { ig, c } = await mentionConversation();
      graph.answerNext('accept-then-hang');
      const queued = await reply(ig.agency.client, c.conversationId, 'Sorry! Could you DM us the order?');
      const sent = await waitForFinalStatus(t, queued.id);
      expect(sent.status).toBe('SENT');
      const posts = graph.requests.filter((r) => r.method === 'POST');
      expect(posts.map((r) => [r.path, r.body.comment_id])).toEqual([
        [`/${ig.accountId}/mentions`, c.externalId],
      ]);
      expect(
        graph.requests.some(
          (r) =>
            r.method === 'GET' && r.query.fields?.startsWith(`mentioned_comment.comment_id(${c.externalId})`),
        ),
      ).toBe(true);
      expect(graph.created).toHaveLength(1);
      expect(sent.external_id).toBe(graph.created[0]);
    });

    it('an Instagram mention reply whose read-back fails is sent again and SENT with the reply it made', async () => {
      graph.reset();
      const { ig, c } = await mentionConversation();
      graph.answerNext('hang'); // nothing created, the answer never comes
      graph.answerNext(graphErrors.serverError(), 1, 'GET');
      const queued = await reply(ig.agency.client, c.conversationId, 'Sent after a failed read');
      const sent = await waitForFinalStatus(t, queued.id);
      expect(sent.status).toBe('SENT');
      expect(graph.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
      expect(graph.created).toHaveLength(1);
      expect(sent.external_id).toBe(graph.created[0]);
    });

    it('a private reply: its retry meets 10900 "already replied to", finds its own reply and is SENT', async () => {
      graph.reset();
      const b = await withNewCustomer(t, a);
      const c = await seedConversation(t, b, 'COMMENT');
      graph.answerNext('accept-then-hang');
      // The retry's read-back fails once, so the retry sends again and Meta answers 10900.
      graph.answerNext(graphErrors.serverError(), 1, 'GET');
      const queued = await reply(a.agency.client, c.conversationId, 'We have sent you a DM.', 'PRIVATE');
      const sent = await waitForFinalStatus(t, queued.id);
      expect(sent.status).toBe('SENT');
      const posts = graph.requests.filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(2);
      expect(posts[0].body).toMatchObject({
        recipient: { comment_id: c.externalId },
        message: { text: 'We have sent you a DM.', metadata: expect.any(String) },
      });
      expect(graph.created).toHaveLength(1);
      expect(sent.external_id).toBe(graph.created[0]);
    });
  });

  describe('Messenger windows', () => {
    async function dmWrittenAgo(interval: string) {
      const customer = await withNewCustomer(t, a);
      const c = await seedConversation(t, customer, 'DM');
      await t.ownerQuery(`UPDATE messages SET platform_created_at = now() - $2::interval WHERE id = $1`, [
        c.messageId,
        interval,
      ]);
      return { customer, c };
    }

    it('more than 24 h after the customer wrote: sent with the HUMAN_AGENT tag', async () => {
      graph.reset();
      const { customer, c } = await dmWrittenAgo('30 hours');
      const queued = await reply(a.agency.client, c.conversationId, 'Sorry for the wait!');
      expect((await waitForFinalStatus(t, queued.id)).status).toBe('SENT');
      const [call] = graph.requests.filter((r) => r.method === 'POST');
      expect(call.body).toMatchObject({
        recipient: { id: customer.authorId },
        messaging_type: 'MESSAGE_TAG',
        tag: 'HUMAN_AGENT',
      });
    });

    it('more than 7 days after: FAILED with MESSAGING_WINDOW_CLOSED, nothing sent', async () => {
      graph.reset();
      const { c } = await dmWrittenAgo('8 days');
      const queued = await reply(a.agency.client, c.conversationId, 'Are you still there?');
      const failed = await waitForFinalStatus(t, queued.id);
      expect([failed.status, failed.failure_code]).toEqual(['FAILED', 'MESSAGING_WINDOW_CLOSED']);
      expect(graph.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    });
  });

  it('a permission the Page admin removed marks the channel NEEDS_RECONNECT, not PLATFORM_REJECTED', async () => {
    graph.reset();
    const b = await seedAgency(t);
    const c = await seedConversation(t, b, 'DM');
    graph.answerNext(graphErrors.permissionMissing());
    const queued = await reply(b.agency.client, c.conversationId, 'Hello again');
    await waitFor('the channel to need reconnecting', async () => {
      const [ch] = await t.ownerQuery(`SELECT status FROM channels WHERE id = $1`, [b.channelId]);
      return ch.status === 'NEEDS_RECONNECT';
    });
    const [row] = await t.ownerQuery(
      `SELECT status, failure_code FROM outbound_messages WHERE message_id = $1`,
      [queued.id],
    );
    expect(row).toEqual({ status: 'WAITING_FOR_RECONNECT', failure_code: 'AUTH_EXPIRED' });
  });
});
