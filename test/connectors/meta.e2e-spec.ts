import { FakeMetaGraph, graphErrors } from '../fakes/meta-graph';
import {
  META_TEST_APP_SECRET,
  META_TEST_VERIFY_TOKEN,
  metaFixture,
  postMetaWebhook,
  signedMetaDelivery,
  signMeta,
} from '../fakes/meta-webhook';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';

const FIXTURE_PAGE = '105889502211234';
const FIXTURE_IG = '17841400000000001';

/**
 * Meta end to end: signed fixtures POSTed to /webhooks/meta go through the real API (signature,
 * inbound_events) and the in-process worker (normalize, contact, threading) into rows.
 */
describe('Meta webhooks → conversations', () => {
  let graph: FakeMetaGraph;
  let p: Pipeline;
  let a: SignedUp;
  let pageId: string;
  let igId: string;

  beforeAll(async () => {
    graph = await FakeMetaGraph.start(META_TEST_APP_SECRET);
    p = await startPipeline({
      META_APP_SECRET: META_TEST_APP_SECRET,
      META_VERIFY_TOKEN: META_TEST_VERIFY_TOKEN,
      META_GRAPH_API_URL: graph.url,
      PLATFORM_TIMEOUT_MS: '1000',
    });
    a = await p.signUp('Meta Agency');
    const brandId = await p.createBrand(a);
    // Fixture ids rewritten to ids of this run: channel routes are global across test files.
    pageId = (await p.connectChannel(a, brandId, 'FACEBOOK_PAGE', uniqueAccountId('fbpage')))
      .externalAccountId;
    igId = (await p.connectChannel(a, brandId, 'INSTAGRAM', uniqueAccountId('ig'))).externalAccountId;
  });
  afterAll(async () => {
    await p?.close();
    await graph?.close();
  });

  /** POSTs a fixture signed as Meta would, with this run's page and IG ids. */
  async function deliver(name: string, opts: { signature?: string | null } = {}): Promise<Response> {
    const d = signedMetaDelivery(metaFixture(name), {
      replaceIds: { [FIXTURE_PAGE]: pageId, [FIXTURE_IG]: igId },
      ...opts,
    });
    return postMetaWebhook(p.t.baseUrl, d);
  }

  const rows = (sql: string, params: unknown[] = []) => p.t.ownerQuery(sql, params);

  it('answers the subscription handshake', async () => {
    const ok = await fetch(
      `${p.t.baseUrl}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${META_TEST_VERIFY_TOKEN}&hub.challenge=998877`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, '998877']);
    const bad = await fetch(
      `${p.t.baseUrl}/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(bad.status).toBe(403);
  });

  it('a wrongly signed or unsigned delivery is refused and writes nothing', async () => {
    const before = await p.t.count('inbound_events');
    const wrong = await deliver('messenger-text', { signature: signMeta('{}', 'not-the-app-secret') });
    expect(wrong.status).toBe(403);
    const missing = await deliver('messenger-text', { signature: null });
    expect(missing.status).toBe(401);
    expect(await p.t.count('inbound_events')).toBe(before);
    expect(await p.t.count(`messages WHERE agency_id = $1`, [a.agencyId])).toBe(0);
  });

  it('Facebook comments thread on their top-level comment; the page’s own comment is outbound', async () => {
    for (const name of ['fb-comment-add', 'fb-comment-reply', 'fb-page-own-comment']) {
      expect((await deliver(name)).status).toBe(200);
    }
    await p.waitForEvents({ agencyId: a.agencyId });
    const threadKey = `comment:${pageId}_412345678901234:412345678901234_998877665544332`;
    const convs = await rows(
      `SELECT id, kind, thread_key FROM conversations WHERE agency_id = $1 AND thread_key = $2`,
      [a.agencyId, threadKey],
    );
    expect(convs).toMatchObject([{ kind: 'COMMENT' }]);
    const msgs = await rows(
      `SELECT external_id, direction, body, attachments, parent_external_id FROM messages
        WHERE agency_id = $1 AND conversation_id = $2 ORDER BY platform_created_at`,
      [a.agencyId, convs[0].id],
    );
    expect(msgs.map((m) => [m.external_id, m.direction])).toEqual([
      ['412345678901234_998877665544332', 'INBOUND'],
      ['412345678901234_998877665544390', 'INBOUND'],
      ['412345678901234_998877665544401', 'OUTBOUND'],
    ]);
    expect(msgs[0].attachments).toMatchObject([{ type: 'IMAGE' }]);
    const identities = await rows(
      `SELECT external_user_id, display_name FROM contact_identities WHERE agency_id = $1 AND platform = 'FACEBOOK_PAGE' AND external_user_id = '7003218891234567'`,
      [a.agencyId],
    );
    expect(identities).toMatchObject([{ display_name: 'Dana Whitfield' }]);
    // The Page is never a contact of its own brand.
    expect(
      await rows(`SELECT 1 FROM contact_identities WHERE agency_id = $1 AND external_user_id = $2`, [
        a.agencyId,
        pageId,
      ]),
    ).toEqual([]);
  });

  it('an edit updates and a removal marks the comment deleted', async () => {
    expect((await deliver('fb-comment-edited')).status).toBe(200);
    expect((await deliver('fb-comment-remove')).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    const [m] = await rows(
      `SELECT body, edited_at, deleted_at FROM messages WHERE agency_id = $1 AND external_id = $2`,
      [a.agencyId, '412345678901234_998877665544332'],
    );
    expect(m.body).toContain('the lid is cracked');
    expect(m.deleted_at).not.toBeNull();
  });

  it('Messenger text, attachments, sticker and echo form one DM conversation', async () => {
    for (const name of [
      'messenger-text',
      'messenger-attachments',
      'messenger-sticker',
      'messenger-echo',
      'messenger-delivery-read',
    ]) {
      expect((await deliver(name)).status).toBe(200);
    }
    await p.waitForEvents({ agencyId: a.agencyId });
    const convs = await rows(
      `SELECT id, kind FROM conversations WHERE agency_id = $1 AND thread_key = 'dm:6543210987654321'`,
      [a.agencyId],
    );
    expect(convs).toMatchObject([{ kind: 'DM' }]);
    const msgs = await rows(
      `SELECT direction, visibility, attachments FROM messages WHERE agency_id = $1 AND conversation_id = $2 ORDER BY platform_created_at`,
      [a.agencyId, convs[0].id],
    );
    expect(
      msgs.map((m) => [m.direction, m.visibility, m.attachments.map((x: { type: string }) => x.type)]),
    ).toEqual([
      ['INBOUND', 'PRIVATE', []],
      ['INBOUND', 'PRIVATE', ['IMAGE', 'FILE']],
      ['INBOUND', 'PRIVATE', ['STICKER']],
      ['OUTBOUND', 'PRIVATE', []],
    ]);
    expect(msgs[1].attachments[1]).toMatchObject({ name: 'receipt-4412.pdf' });
  });

  it('Instagram comments, mentions and DMs', async () => {
    // A mention names its comment only: the worker reads it (GET mentioned_comment) before threading.
    graph.mentionedComments.set('17894227972186120', {
      id: '17894227972186120',
      text: '@acme.coffee is this still on sale?',
      timestamp: '2026-11-20T09:15:42+0000',
      username: 'ola.nordmann',
    });
    for (const name of ['ig-comment', 'ig-comment-reply', 'ig-mention', 'ig-dm']) {
      expect((await deliver(name)).status).toBe(200);
    }
    await p.waitForEvents({ agencyId: a.agencyId });
    const convs = await rows(
      `SELECT c.kind, c.thread_key, count(m.*)::int AS n FROM conversations c
         JOIN channels ch ON ch.agency_id = c.agency_id AND ch.id = c.channel_id AND ch.platform = 'INSTAGRAM'
         JOIN messages m ON m.agency_id = c.agency_id AND m.conversation_id = c.id
        WHERE c.agency_id = $1 GROUP BY c.kind, c.thread_key ORDER BY c.thread_key`,
      [a.agencyId],
    );
    expect(convs).toEqual([
      { kind: 'COMMENT', thread_key: 'comment:17900000000000001:17870000000000001', n: 2 },
      { kind: 'DM', thread_key: 'dm:1122334455667788', n: 1 },
      { kind: 'MENTION', thread_key: 'mention:17894227972186120', n: 1 },
    ]);
    const ids = await rows(
      `SELECT username FROM contact_identities WHERE agency_id = $1 AND platform = 'INSTAGRAM' AND external_user_id = '1122334455667788'`,
      [a.agencyId],
    );
    expect(ids).toEqual([{ username: 'maya.cooks' }]);
    const [mention] = await rows(
      `SELECT m.body, i.username, i.external_user_id FROM messages m
         JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
         JOIN contact_identities i ON i.agency_id = c.agency_id AND i.contact_id = c.contact_id
        WHERE m.agency_id = $1 AND c.thread_key = 'mention:17894227972186120'`,
      [a.agencyId],
    );
    expect(mention).toEqual({
      body: '@acme.coffee is this still on sale?',
      username: 'ola.nordmann',
      external_user_id: 'username:ola.nordmann',
    });
    expect(graph.requests.filter((r) => r.method === 'GET').map((r) => r.query.fields)).toContainEqual(
      expect.stringMatching(/^mentioned_comment\.comment_id\(17894227972186120\)/),
    );
  });

  it('out of order: a reply before its top-level comment, an edit before its message', async () => {
    // Fresh ids, so this thread and DM are new: the reply and the edit arrive first.
    const ids = {
      '998877665544332': '998877000000001',
      '998877665544390': '998877000000002',
      '412345678901234': '412300000000009',
    };
    const reply = signedMetaDelivery(metaFixture('fb-comment-reply'), {
      replaceIds: { ...ids, [FIXTURE_PAGE]: pageId },
    });
    const top = signedMetaDelivery(metaFixture('fb-comment-add'), {
      replaceIds: { ...ids, [FIXTURE_PAGE]: pageId },
    });
    const mids = {
      m_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefGHIJklmnopQRSTuvwxyz0123: 'm_out_of_order_1',
      '6543210987654321': '6543210000000077',
    };
    const edit = signedMetaDelivery(metaFixture('messenger-edit'), {
      replaceIds: { ...mids, [FIXTURE_PAGE]: pageId },
    });
    const text = signedMetaDelivery(metaFixture('messenger-text'), {
      replaceIds: { ...mids, [FIXTURE_PAGE]: pageId },
    });
    for (const d of [reply, edit, top, text])
      expect((await postMetaWebhook(p.t.baseUrl, d)).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });

    const thread = await rows(
      `SELECT c.id, count(m.*)::int AS n FROM conversations c JOIN messages m ON m.agency_id = c.agency_id AND m.conversation_id = c.id
        WHERE c.agency_id = $1 AND c.thread_key = $2 GROUP BY c.id`,
      [a.agencyId, `comment:${pageId}_412300000000009:412300000000009_998877000000001`],
    );
    expect(thread).toMatchObject([{ n: 2 }]);
    const [dm] = await rows(
      `SELECT body, edited_at FROM messages WHERE agency_id = $1 AND external_id = 'm_out_of_order_1'`,
      [a.agencyId],
    );
    expect(dm.body).toBe("Hi! Where is my refund for order 4412? It's been two weeks.");
  });

  /**
   * The Messenger fixtures carry fixed timestamps, days old by the time the suite runs; a DM answer is
   * sent as RESPONSE only within 24 h of the customer's last message (meta-send.ts), so these tests,
   * which are not about that window, bring the customer's messages to now.
   */
  async function customerWroteJustNow(conversationId: string): Promise<void> {
    await p.t.ownerQuery(
      `UPDATE messages SET platform_created_at = now()
        WHERE agency_id = $1 AND conversation_id = $2 AND direction = 'INBOUND'`,
      [a.agencyId, conversationId],
    );
  }

  describe('replies and moderation reach the Graph API', () => {
    const REPLY = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { id status } }`;
    const MODERATE = `mutation($input: ModerateMessageInput!) { moderateMessage(input: $input) { id } }`;

    /** Polls until every outbound row of the agency is done, then returns them. */
    async function outboundDone(): Promise<{ action: string; status: string; external_id: string | null }[]> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const rows = await p.t.ownerQuery(
          `SELECT action, status, external_id FROM outbound_messages WHERE agency_id = $1 ORDER BY created_at`,
          [a.agencyId],
        );
        if (rows.every((r) => r.status === 'SENT' || r.status === 'FAILED')) return rows;
        if (Date.now() > deadline) throw new Error(`outbound not done: ${JSON.stringify(rows)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    it('public and private answers to a comment, a DM answer and hiding a comment', async () => {
      graph.reset();
      const [comment] = await rows(
        `SELECT id FROM conversations WHERE agency_id = $1 AND thread_key LIKE 'comment:${pageId}_%'`,
        [a.agencyId],
      );
      const [dm] = await rows(
        `SELECT id FROM conversations WHERE agency_id = $1 AND thread_key = 'dm:6543210987654321'`,
        [a.agencyId],
      );
      await a.client.ok(REPLY, {
        input: { conversationId: comment.id, body: 'So sorry, Dana!', visibility: 'PUBLIC' },
      });
      await outboundDone();
      await a.client.ok(REPLY, {
        input: { conversationId: comment.id, body: 'Here is your refund link.', visibility: 'PRIVATE' },
      });
      await outboundDone();
      await customerWroteJustNow(dm.id);
      await a.client.ok(REPLY, { input: { conversationId: dm.id, body: 'Refund issued.' } });
      await outboundDone();
      const [reply] = await rows(
        `SELECT id FROM messages WHERE agency_id = $1 AND external_id = '412345678901234_998877665544390'`,
        [a.agencyId],
      );
      await a.client.ok(MODERATE, { input: { messageId: reply.id, action: 'HIDE' } });
      const done = await outboundDone();
      expect(done.map((r) => [r.action, r.status])).toEqual([
        ['REPLY', 'SENT'],
        ['PRIVATE_REPLY', 'SENT'],
        ['DIRECT_MESSAGE', 'SENT'],
        ['HIDE', 'SENT'],
      ]);
      expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
        ['POST', '/412345678901234_998877665544332/comments', { message: 'So sorry, Dana!' }],
        [
          'POST',
          `/${pageId}/messages`,
          {
            recipient: { comment_id: '412345678901234_998877665544390' },
            message: { text: 'Here is your refund link.', metadata: expect.any(String) },
          },
        ],
        [
          'POST',
          `/${pageId}/messages`,
          {
            recipient: { id: '6543210987654321' },
            messaging_type: 'RESPONSE',
            message: { text: 'Refund issued.', metadata: expect.any(String) },
          },
        ],
        ['POST', '/412345678901234_998877665544390', { is_hidden: true }],
      ]);
      expect(graph.requests.every((r) => r.authorization?.startsWith('Bearer test-token-'))).toBe(true);
    });
  });

  it('the same delivery three times gives one event and one message', async () => {
    const body = metaFixture('messenger-text');
    body.entry[0].messaging[0].message.mid = 'm_retry_once_only';
    const d = signedMetaDelivery(body, { replaceIds: { [FIXTURE_PAGE]: pageId } });
    for (let i = 0; i < 3; i++) expect((await postMetaWebhook(p.t.baseUrl, d)).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    expect(
      await p.t.count(`messages WHERE agency_id = $1 AND external_id = 'm_retry_once_only'`, [a.agencyId]),
    ).toBe(1);
    const [{ n }] = await rows(
      `SELECT count(*)::int AS n FROM inbound_events WHERE agency_id = $1 AND payload::text LIKE '%m_retry_once_only%'`,
      [a.agencyId],
    );
    expect(n).toBe(1);
  });
  describe('Graph API failures on send', () => {
    const REPLY = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { id status } }`;

    async function dmReply(body: string): Promise<string> {
      const [dm] = await rows(
        `SELECT id FROM conversations WHERE agency_id = $1 AND thread_key = 'dm:6543210987654321'`,
        [a.agencyId],
      );
      await customerWroteJustNow(dm.id);
      const data = await a.client.ok(REPLY, { input: { conversationId: dm.id, body } });
      return data.replyToConversation.id;
    }

    /** Polls the outbound row of message `messageId` until it leaves QUEUED/SENDING. */
    async function settled(
      messageId: string,
    ): Promise<{ status: string; external_id: string | null; attempts: number }> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await rows(
          `SELECT status, external_id, attempts FROM outbound_messages WHERE agency_id = $1 AND message_id = $2`,
          [a.agencyId, messageId],
        );
        if (row && row.status !== 'QUEUED' && row.status !== 'SENDING') return row;
        if (Date.now() > deadline) throw new Error(`outbound still ${row?.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const posts = () => graph.requests.filter((r) => r.method === 'POST');

    it('429 with Retry-After, then a 500: retried until sent', async () => {
      graph.reset();
      graph.answerNext(graphErrors.rateLimited('1'));
      graph.answerNext(graphErrors.serverError());
      const id = await dmReply('Retried until it goes through');
      expect(await settled(id)).toMatchObject({
        status: 'SENT',
        external_id: expect.stringMatching(/^m_fake/),
      });
      expect(posts()).toHaveLength(3);
    });

    it('an answer lost after Meta accepted the DM: reconciled, never sent twice', async () => {
      graph.reset();
      graph.answerNext('accept-then-hang');
      const id = await dmReply('Sent exactly once');
      const row = await settled(id);
      expect(row.status).toBe('SENT');
      expect(posts()).toHaveLength(1);
      expect(row.external_id).toBe(
        (await rows(`SELECT external_id FROM messages WHERE agency_id = $1 AND id = $2`, [a.agencyId, id]))[0]
          .external_id,
      );
      expect(graph.requests.some((r) => r.method === 'GET' && r.path === `/${pageId}/conversations`)).toBe(
        true,
      );
    });

    // The echo's replyContext.idempotencyKey (= outbound_messages.id, sent as Send API `metadata`) is
    // matched by ingest to the queued reply (OutboxService.confirmFromEcho), so the two are one message.
    it('the echo of our own DM arriving before the send is recorded: still one message', async () => {
      graph.reset();
      graph.answerNext('accept-then-hang');
      const id = await dmReply('Echo races the answer');
      const deadline = Date.now() + 10_000;
      while (graph.created.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const [outboundRow] = await rows(
        `SELECT id FROM outbound_messages WHERE agency_id = $1 AND message_id = $2`,
        [a.agencyId, id],
      );
      const echo = metaFixture('messenger-echo');
      Object.assign(echo.entry[0].messaging[0].message, {
        mid: graph.created[0],
        text: 'Echo races the answer',
        metadata: outboundRow.id,
      });
      expect(
        (
          await postMetaWebhook(
            p.t.baseUrl,
            signedMetaDelivery(echo, { replaceIds: { [FIXTURE_PAGE]: pageId } }),
          )
        ).status,
      ).toBe(200);
      expect((await settled(id)).status).toBe('SENT');
      await p.waitForEvents({ agencyId: a.agencyId });
      expect(
        await p.t.count(`messages WHERE agency_id = $1 AND external_id = $2`, [a.agencyId, graph.created[0]]),
      ).toBe(1);
      expect(
        await p.t.count(`messages WHERE agency_id = $1 AND body = 'Echo races the answer'`, [a.agencyId]),
      ).toBe(1);
    });

    it('an expired token (OAuthException 190) marks the channel NEEDS_RECONNECT', async () => {
      graph.reset();
      graph.answerNext(graphErrors.tokenExpired());
      const id = await dmReply('This one waits for a reconnect');
      expect((await settled(id)).status).toBe('WAITING_FOR_RECONNECT');
      const [channel] = await rows(
        `SELECT status FROM channels WHERE agency_id = $1 AND external_account_id = $2`,
        [a.agencyId, pageId],
      );
      expect(channel.status).toBe('NEEDS_RECONNECT');
    });
  });
});
