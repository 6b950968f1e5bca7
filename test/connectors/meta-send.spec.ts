import { createHmac } from 'node:crypto';
import { Platform } from '@caredesk/channels';
import { graphErrors, FakeMetaGraph } from '../fakes/meta-graph';
import { META_TEST_APP_SECRET } from '../fakes/meta-webhook';
import { connectorError, META_IG_ID, META_PAGE_ID, metaConnector, outbound } from './meta.support';

/** appsecret_proof as Meta verifies it: HMAC-SHA256 of the access token, keyed by the app secret. */
const PROOF = createHmac('sha256', META_TEST_APP_SECRET).update('EAAGpagetoken').digest('hex');
const FB_TOP = '412345678901234_998877665544332';
const FB_REPLY = '412345678901234_998877665544390';
const fbComment = {
  surface: 'fb_comment',
  pageId: META_PAGE_ID,
  postId: `${META_PAGE_ID}_412345678901234`,
  commentId: FB_REPLY,
  topLevelCommentId: FB_TOP,
  externalId: FB_REPLY,
};
const igComment = {
  surface: 'ig_comment',
  igUserId: META_IG_ID,
  mediaId: '17900000000000001',
  commentId: '17870000000000001',
  topLevelCommentId: '17870000000000001',
  externalId: '17870000000000001',
};
const messenger = {
  surface: 'messenger',
  accountId: META_PAGE_ID,
  recipientId: '6543210987654321',
  psid: '6543210987654321',
};

describe('Meta send against a fake Graph API', () => {
  let graph: FakeMetaGraph;
  let connector: ReturnType<typeof metaConnector>;

  beforeAll(async () => {
    graph = await FakeMetaGraph.start(META_TEST_APP_SECRET);
    connector = metaConnector(graph.url, 300);
    // The first fetch of a process sets undici up, which on a loaded machine can outlast the 300 ms
    // timeout these tests use to exercise timeouts: do it here, not in the first test.
    await fetch(graph.url).then((r) => r.text());
  });
  afterAll(() => graph.close());
  beforeEach(() => graph.reset());

  it('replies to a Facebook comment under its top-level comment', async () => {
    const res = await connector.send(outbound({ action: 'REPLY', target: fbComment }));
    expect(graph.requests).toEqual([
      {
        method: 'POST',
        path: `/${FB_TOP}/comments`,
        query: { appsecret_proof: PROOF },
        authorization: 'Bearer EAAGpagetoken',
        body: { message: 'Thanks, we are on it!' },
      },
    ]);
    expect(res.externalId).toMatch(/^412345678901234_fake\d+$/);
  });

  it('replies to an Instagram comment through /replies', async () => {
    const res = await connector.send(
      outbound({ action: 'REPLY', externalAccountId: META_IG_ID, target: igComment }),
    );
    expect(graph.requests).toMatchObject([
      { method: 'POST', path: '/17870000000000001/replies', body: { message: 'Thanks, we are on it!' } },
    ]);
    expect(res.externalId).toBeTruthy();
  });

  it('replies to an Instagram mention through /{ig-user-id}/mentions', async () => {
    await connector.send(
      outbound({
        action: 'REPLY',
        externalAccountId: META_IG_ID,
        target: {
          surface: 'ig_mention',
          igUserId: META_IG_ID,
          mediaId: '17918195224117851',
          commentId: '17894227972186120',
        },
      }),
    );
    expect(graph.requests).toMatchObject([
      {
        method: 'POST',
        path: `/${META_IG_ID}/mentions`,
        body: {
          message: 'Thanks, we are on it!',
          media_id: '17918195224117851',
          comment_id: '17894227972186120',
        },
      },
    ]);
  });

  it('answers a DM with the Send API, RESPONSE type, and the idempotency key as metadata', async () => {
    for (const action of ['REPLY', 'DIRECT_MESSAGE'] as const) {
      graph.reset();
      const res = await connector.send(outbound({ action, target: messenger, idempotencyKey: 'ob-42' }));
      expect(graph.requests).toEqual([
        {
          method: 'POST',
          path: `/${META_PAGE_ID}/messages`,
          query: { appsecret_proof: PROOF },
          authorization: 'Bearer EAAGpagetoken',
          body: {
            recipient: { id: '6543210987654321' },
            messaging_type: 'RESPONSE',
            message: { text: 'Thanks, we are on it!', metadata: 'ob-42' },
          },
        },
      ]);
      expect(res.externalId).toMatch(/^m_fake/);
    }
  });

  it('sends a private reply to a comment by comment_id, with the idempotency key as metadata', async () => {
    const res = await connector.send(
      outbound({ action: 'PRIVATE_REPLY', target: fbComment, idempotencyKey: 'ob-7' }),
    );
    expect(graph.requests).toMatchObject([
      {
        method: 'POST',
        path: `/${META_PAGE_ID}/messages`,
        body: {
          recipient: { comment_id: FB_REPLY },
          message: { text: 'Thanks, we are on it!', metadata: 'ob-7' },
        },
      },
    ]);
    expect(res.externalId).toMatch(/^m_fake/);
  });

  describe('Messenger windows (24 h; HUMAN_AGENT up to 7 days)', () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const dm = (h: number) =>
      outbound({ action: 'REPLY', target: { ...messenger, customerLastMessageAt: hoursAgo(h) } });

    it('answers within 24 h as RESPONSE', async () => {
      await connector.send(dm(23));
      expect(graph.requests[0].body).toMatchObject({ messaging_type: 'RESPONSE' });
      expect(graph.requests[0].body.tag).toBeUndefined();
    });

    it('answers after 24 h with the HUMAN_AGENT tag', async () => {
      await connector.send(dm(30));
      expect(graph.requests[0].body).toEqual({
        recipient: { id: '6543210987654321' },
        messaging_type: 'MESSAGE_TAG',
        tag: 'HUMAN_AGENT',
        message: { text: 'Thanks, we are on it!', metadata: 'ob-1' },
      });
    });

    it('refuses after 7 days with WINDOW_CLOSED, without calling Meta', async () => {
      const e = await connectorError(connector.send(dm(7 * 24 + 1)));
      expect(e.code).toBe('WINDOW_CLOSED');
      expect(e.message).toMatch(/7 days/);
      expect(graph.requests).toHaveLength(0);
    });

    it('maps Meta’s own "outside of allowed window" (10/2018278) to WINDOW_CLOSED', async () => {
      graph.answerNext(graphErrors.outsideWindow());
      expect((await connectorError(connector.send(dm(1)))).code).toBe('WINDOW_CLOSED');
    });
  });

  describe('Instagram with Facebook Login: messaging goes through the linked Page', () => {
    const PAGE_TOKEN = 'EAAGpagetoken';
    const IGSID = '1254459154682919';
    const ig = (partial: Partial<Parameters<typeof outbound>[0]> & { target: Record<string, string> }) =>
      outbound({ externalAccountId: META_IG_ID, platform: Platform.INSTAGRAM, ...partial });
    beforeEach(() => {
      graph.tokenOwners.set(PAGE_TOKEN, META_PAGE_ID);
      graph.linkedInstagram.set(META_PAGE_ID, META_IG_ID);
      graph.instagramUsers.add(IGSID);
    });

    it('sends a DM to /me/messages (the Page token’s Page), never /{ig-user-id}/messages', async () => {
      const res = await connector.send(ig({ action: 'REPLY', target: { threadKey: `dm:${IGSID}` } }));
      expect(graph.requests).toMatchObject([
        {
          method: 'POST',
          path: '/me/messages',
          body: { recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { metadata: 'ob-1' } },
        },
      ]);
      expect(res.externalId).toMatch(/^m_fake/);
    });

    it('uses the linked Page id when the channel stores it (extra.pageId)', async () => {
      await connector.send(
        ig({
          action: 'DIRECT_MESSAGE',
          credentials: { accessToken: PAGE_TOKEN, extra: { pageId: META_PAGE_ID } },
          target: { threadKey: `dm:${IGSID}` },
        }),
      );
      expect(graph.requests.map((r) => [r.method, r.path])).toEqual([['POST', `/${META_PAGE_ID}/messages`]]);
    });

    it('the Instagram user id path is refused by graph.facebook.com (what the fake checks)', async () => {
      const wrong = outbound({ externalAccountId: META_IG_ID, target: messenger });
      expect((await connectorError(connector.send(wrong))).code).toBe('REJECTED');
    });

    it('sends a private reply to an Instagram comment through the Page', async () => {
      await connector.send(ig({ action: 'PRIVATE_REPLY', target: igComment }));
      expect(graph.requests).toMatchObject([
        { method: 'POST', path: '/me/messages', body: { recipient: { comment_id: igComment.commentId } } },
      ]);
    });

    it('reads a lost DM back from /me/conversations?platform=instagram', async () => {
      graph.answerNext('accept-then-hang');
      const req = ig({ action: 'REPLY', target: { threadKey: `dm:${IGSID}` }, body: 'On its way!' });
      expect((await connectorError(connector.send(req))).code).toBe('TRANSIENT');
      expect(await connector.reconcile(req)).toEqual({ externalId: expect.stringMatching(/^m_fake/) });
      expect(graph.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: '/me/conversations',
        query: { platform: 'instagram', user_id: IGSID },
      });
    });

    it('reads a lost comment reply back from /{ig-comment-id}/replies', async () => {
      await connector.send(ig({ action: 'REPLY', target: igComment, body: 'An older answer' }));
      graph.answerNext('accept-then-hang');
      const req = ig({ action: 'REPLY', target: igComment, body: 'We have sent a new one.' });
      await connectorError(connector.send(req));
      const found = await connector.reconcile(req);
      expect(found?.externalId).toBe(graph.created.at(-1));
      expect(graph.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/${igComment.topLevelCommentId}/replies`,
      });
      // Something else said last: not ours.
      expect(await connector.reconcile(ig({ action: 'REPLY', target: igComment, body: 'Other' }))).toBeNull();
    });

    it('reads a lost private reply back from the conversation with the commenter', async () => {
      graph.commentAuthors.set(igComment.commentId, IGSID);
      graph.answerNext('accept-then-hang');
      const req = ig({ action: 'PRIVATE_REPLY', target: { ...igComment, recipientId: IGSID } });
      await connectorError(connector.send(req));
      expect(await connector.reconcile(req)).toEqual({ externalId: graph.created.at(-1) });
    });
  });

  it('hides, unhides and deletes comments with each platform’s field', async () => {
    expect(await connector.send(outbound({ action: 'HIDE', target: fbComment }))).toEqual({
      externalId: null,
    });
    await connector.send(outbound({ action: 'UNHIDE', target: fbComment }));
    await connector.send(outbound({ action: 'HIDE', externalAccountId: META_IG_ID, target: igComment }));
    await connector.send(outbound({ action: 'UNHIDE', externalAccountId: META_IG_ID, target: igComment }));
    await connector.send(outbound({ action: 'DELETE', target: fbComment }));
    await connector.send(outbound({ action: 'DELETE', externalAccountId: META_IG_ID, target: igComment }));
    expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', `/${FB_REPLY}`, { is_hidden: true }],
      ['POST', `/${FB_REPLY}`, { is_hidden: false }],
      ['POST', '/17870000000000001', { hide: true }],
      ['POST', '/17870000000000001', { hide: false }],
      ['DELETE', `/${FB_REPLY}`, null],
      ['DELETE', '/17870000000000001', null],
    ]);
  });

  it('works from the minimal target the outbox keeps (thread key, external id, recipient)', async () => {
    const fbThread = `comment:${META_PAGE_ID}_412345678901234:${FB_TOP}`;
    await connector.send(
      outbound({
        action: 'REPLY',
        target: { threadKey: fbThread, externalId: FB_REPLY, recipientId: '7003218891234567' },
      }),
    );
    await connector.send(outbound({ action: 'HIDE', target: { threadKey: fbThread, externalId: FB_REPLY } }));
    const igThread = 'comment:17900000000000001:17870000000000001';
    await connector.send(
      outbound({
        action: 'REPLY',
        externalAccountId: META_IG_ID,
        target: { threadKey: igThread, externalId: '17870000000000002' },
      }),
    );
    await connector.send(
      outbound({
        action: 'HIDE',
        externalAccountId: META_IG_ID,
        target: { threadKey: igThread, externalId: '17870000000000002' },
      }),
    );
    await connector.send(
      outbound({ action: 'DIRECT_MESSAGE', target: { threadKey: 'dm:6543210987654321' } }),
    );
    await connector.send(
      outbound({ action: 'PRIVATE_REPLY', target: { threadKey: fbThread, externalId: FB_REPLY } }),
    );
    expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', `/${FB_TOP}/comments`, { message: 'Thanks, we are on it!' }],
      ['POST', `/${FB_REPLY}`, { is_hidden: true }],
      ['POST', '/17870000000000001/replies', { message: 'Thanks, we are on it!' }],
      ['POST', '/17870000000000002', { hide: true }],
      [
        'POST',
        `/${META_PAGE_ID}/messages`,
        {
          recipient: { id: '6543210987654321' },
          messaging_type: 'RESPONSE',
          message: { text: 'Thanks, we are on it!', metadata: 'ob-1' },
        },
      ],
      [
        'POST',
        `/${META_PAGE_ID}/messages`,
        { recipient: { comment_id: FB_REPLY }, message: { text: 'Thanks, we are on it!', metadata: 'ob-1' } },
      ],
    ]);
  });

  it('refuses what Meta cannot do without calling it', async () => {
    expect((await connectorError(connector.send(outbound({ action: 'HIDE', target: messenger })))).code).toBe(
      'UNSUPPORTED',
    );
    expect(
      (await connectorError(connector.send(outbound({ action: 'EMAIL', target: fbComment })))).code,
    ).toBe('UNSUPPORTED');
    expect(graph.requests).toHaveLength(0);
  });

  describe('reconcile after a lost answer', () => {
    beforeEach(() => graph.tokenOwners.set('EAAGpagetoken', META_PAGE_ID));

    it('finds the comment reply Meta created although the answer never came', async () => {
      graph.answerNext('accept-then-hang');
      const req = outbound({ action: 'REPLY', target: fbComment, body: 'We have refunded you.' });
      expect((await connectorError(connector.send(req))).code).toBe('TRANSIENT');
      const found = await connector.reconcile(req);
      expect(found?.externalId).toMatch(/^412345678901234_fake\d+$/);
      expect(graph.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/${FB_TOP}/comments`,
        query: { fields: 'id,message,from', order: 'reverse_chronological', filter: 'stream' },
      });
    });

    it('finds a DM through the Conversations API', async () => {
      graph.answerNext('accept-then-hang');
      const req = outbound({ action: 'DIRECT_MESSAGE', target: messenger, body: 'Your parcel ships today.' });
      await connectorError(connector.send(req));
      expect(await connector.reconcile(req)).toEqual({ externalId: expect.stringMatching(/^m_fake/) });
      expect(graph.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/${META_PAGE_ID}/conversations`,
        query: { platform: 'messenger', user_id: '6543210987654321' },
      });
    });

    it('finds a private reply through the comment’s private_reply_conversation', async () => {
      graph.answerNext('accept-then-hang');
      const req = outbound({ action: 'PRIVATE_REPLY', target: fbComment, body: 'Sent you a DM' });
      await connectorError(connector.send(req));
      expect(await connector.reconcile(req)).toEqual({ externalId: graph.created[0] });
      expect(graph.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/${FB_REPLY}`,
        query: { fields: 'private_reply_conversation{messages.limit(10){id,message,from}}' },
      });
    });

    it('a private reply sent again gets 10900 "already replied to": ours → the first one’s id', async () => {
      graph.answerNext('accept-then-hang');
      const req = outbound({ action: 'PRIVATE_REPLY', target: fbComment, body: 'Sent you a DM' });
      await connectorError(connector.send(req));
      expect(await connector.send(req)).toEqual({ externalId: graph.created[0] });
      expect(graph.created).toHaveLength(1);
    });

    it('10900 for a private reply someone else made → REJECTED', async () => {
      await connector.send(
        outbound({ action: 'PRIVATE_REPLY', target: fbComment, body: 'From Business Suite' }),
      );
      const e = await connectorError(
        connector.send(outbound({ action: 'PRIVATE_REPLY', target: fbComment, body: 'Ours' })),
      );
      expect(e.code).toBe('REJECTED');
      expect(e.message).toMatch(/already replied/);
    });

    it('answers null when nothing was created, or the Page said something else last', async () => {
      graph.answerNext('hang');
      const req = outbound({ action: 'REPLY', target: fbComment, body: 'First answer' });
      await connectorError(connector.send(req));
      expect(await connector.reconcile(req)).toBeNull();
      await connector.send(outbound({ action: 'REPLY', target: fbComment, body: 'Other text' }));
      expect(await connector.reconcile(req)).toBeNull();
      expect(await connector.reconcile(outbound({ action: 'PRIVATE_REPLY', target: fbComment }))).toBeNull();
    });
  });

  describe('error mapping', () => {
    const reply = () => connector.send(outbound({ action: 'REPLY', target: fbComment }));

    it('5xx → TRANSIENT', async () => {
      graph.answerNext(graphErrors.serverError());
      expect((await connectorError(reply())).code).toBe('TRANSIENT');
    });

    it('a timeout → TRANSIENT', async () => {
      graph.answerNext('hang');
      expect((await connectorError(reply())).code).toBe('TRANSIENT');
    });

    it('a refused connection → TRANSIENT', async () => {
      const offline = metaConnector('http://127.0.0.1:9/v21.0', 300);
      expect((await connectorError(offline.send(outbound({ target: fbComment })))).code).toBe('TRANSIENT');
    });

    it('429 with Retry-After → RATE_LIMITED after that many seconds', async () => {
      graph.answerNext(graphErrors.rateLimited('120'));
      const e = await connectorError(reply());
      expect([e.code, e.retryAfterSeconds]).toEqual(['RATE_LIMITED', 120]);
    });

    it('Graph rate-limit codes on a 400 → RATE_LIMITED', async () => {
      graph.answerNext(graphErrors.pageRateLimited());
      const e = await connectorError(reply());
      expect([e.code, e.retryAfterSeconds]).toEqual(['RATE_LIMITED', undefined]);
    });

    it('OAuthException 190 → AUTH_EXPIRED', async () => {
      graph.answerNext(graphErrors.tokenExpired());
      expect((await connectorError(reply())).code).toBe('AUTH_EXPIRED');
    });

    it('a permission the Page admin removed (code 200, code 10) → AUTH_EXPIRED: reconnecting re-grants', async () => {
      graph.answerNext(graphErrors.permissionMissing());
      expect((await connectorError(reply())).code).toBe('AUTH_EXPIRED');
      graph.answerNext(graphErrors.permissionDenied());
      expect((await connectorError(reply())).code).toBe('AUTH_EXPIRED');
    });

    it('a Messenger condition of one recipient (200 with a subcode) stays REJECTED', async () => {
      graph.answerNext(graphErrors.blockedRecipient());
      const e = await connectorError(
        connector.send(outbound({ action: 'DIRECT_MESSAGE', target: messenger })),
      );
      expect(e.code).toBe('REJECTED');
    });

    it('no token on the channel → AUTH_EXPIRED without calling Meta', async () => {
      const e = await connectorError(
        connector.send(outbound({ credentials: { extra: {} }, target: fbComment })),
      );
      expect(e.code).toBe('AUTH_EXPIRED');
      expect(graph.requests).toHaveLength(0);
    });

    it('any other 4xx → REJECTED', async () => {
      graph.answerNext(graphErrors.invalidParameter());
      expect((await connectorError(reply())).code).toBe('REJECTED');
    });
  });
});
