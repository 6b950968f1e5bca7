import { FakeMetaGraph } from '../fakes/meta-graph';
import { startSmtpCapture, SmtpCapture } from '../support/smtp-capture';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker, TestWorker } from '../support/test-worker';
import {
  reply,
  seedAgency,
  seedConversation,
  Seeded,
  waitForFinalStatus,
  withNewCustomer,
} from './outbound-support';

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
});
