import { NormalizedMessage, Platform } from '@caredesk/channels';
import { MetaConnector } from '../../libs/channels/src/connectors/meta/meta.connector';
import { metaConnector } from './meta.support';
import { META_TEST_VERIFY_TOKEN, metaFixture, signedMetaDelivery, signMeta } from '../fakes/meta-webhook';

const PAGE = '105889502211234';
const IG = '17841400000000001';

const post = (rawBody: string, headers: Record<string, string>) => ({
  method: 'POST' as const,
  headers,
  query: {},
  rawBody: Buffer.from(rawBody),
});

/** The deliveries of a fixture after a correctly signed POST, normalized: what the ingest worker sees. */
function normalizeFixture(name: string) {
  const c = metaConnector();
  const { rawBody, headers } = signedMetaDelivery(metaFixture(name));
  const verdict = c.verifyWebhook(post(rawBody, headers));
  if (verdict.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(verdict)}`);
  return verdict.deliveries.flatMap((d) => c.normalize(d));
}

function onlyMessage(name: string): NormalizedMessage {
  const events = normalizeFixture(name);
  expect(events).toHaveLength(1);
  expect(events[0].type).toBe('message');
  return events[0] as NormalizedMessage;
}

describe('Meta webhook verification', () => {
  const c = metaConnector();
  const { rawBody, headers } = signedMetaDelivery(metaFixture('messenger-text'));

  it('accepts a body signed with the app secret', () => {
    const v = c.verifyWebhook(post(rawBody, headers));
    expect(v.kind).toBe('accepted');
  });

  it('rejects a wrong signature with 403 and a missing one with 401', () => {
    expect(
      c.verifyWebhook(
        post(rawBody, { ...headers, 'x-hub-signature-256': signMeta(rawBody, 'another-secret-123') }),
      ),
    ).toMatchObject({ kind: 'rejected', status: 403 });
    expect(c.verifyWebhook(post(rawBody, { ...headers, 'x-hub-signature-256': 'sha256=abc' }))).toMatchObject(
      { kind: 'rejected', status: 403 },
    );
    const { 'x-hub-signature-256': _omit, ...unsigned } = headers;
    expect(c.verifyWebhook(post(rawBody, unsigned))).toMatchObject({ kind: 'rejected', status: 401 });
  });

  it('checks the raw bytes: the same JSON re-serialized differently does not verify', () => {
    const spaced = JSON.stringify(JSON.parse(rawBody), null, 2);
    expect(c.verifyWebhook(post(spaced, headers))).toMatchObject({ kind: 'rejected', status: 403 });
  });

  it('without an app secret nothing verifies and the connector says it is not configured', () => {
    const bare = new MetaConnector({ apiUrl: 'http://127.0.0.1:1', timeoutMs: 1000 });
    expect(bare.isConfigured()).toBe(false);
    expect(c.isConfigured()).toBe(true);
    expect(bare.verifyWebhook(post(rawBody, headers))).toMatchObject({ kind: 'rejected', status: 403 });
  });

  it('answers the hub.challenge handshake with the right verify token only', () => {
    const get = (query: Record<string, string>) => ({
      method: 'GET' as const,
      headers: {},
      query,
      rawBody: Buffer.alloc(0),
    });
    expect(
      c.verifyWebhook(
        get({
          'hub.mode': 'subscribe',
          'hub.verify_token': META_TEST_VERIFY_TOKEN,
          'hub.challenge': '1158201444',
        }),
      ),
    ).toEqual({ kind: 'handshake', status: 200, contentType: 'text/plain', body: '1158201444' });
    expect(
      c.verifyWebhook(
        get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong-token', 'hub.challenge': '1' }),
      ),
    ).toMatchObject({ kind: 'rejected', status: 403 });
    expect(
      c.verifyWebhook(
        get({ 'hub.mode': 'unsubscribe', 'hub.verify_token': META_TEST_VERIFY_TOKEN, 'hub.challenge': '1' }),
      ),
    ).toMatchObject({ kind: 'rejected', status: 403 });
  });

  it('splits a batched delivery into one delivery per entry, keyed by a stable hash', () => {
    const batch = signedMetaDelivery(metaFixture('batched'));
    const v = c.verifyWebhook(post(batch.rawBody, batch.headers));
    if (v.kind !== 'accepted') throw new Error('not accepted');
    expect(v.deliveries.map((d) => [d.platform, d.externalAccountId])).toEqual([
      [Platform.FACEBOOK_PAGE, PAGE],
      [Platform.FACEBOOK_PAGE, '108000000000777'],
      [Platform.FACEBOOK_PAGE, PAGE],
    ]);
    expect(new Set(v.deliveries.map((d) => d.eventKey)).size).toBe(3);
    expect(v.deliveries[1].payload).toEqual(metaFixture('batched').entry[1]);

    // A retry re-sends the same entry, perhaps alone or with keys in another order: same key.
    const entry = metaFixture('batched').entry[1];
    const reordered = Object.fromEntries(Object.entries(entry).reverse());
    const retry = signedMetaDelivery({ object: 'page', entry: [reordered] });
    const again = c.verifyWebhook(post(retry.rawBody, retry.headers));
    expect(again.kind === 'accepted' && again.deliveries[0].eventKey).toBe(v.deliveries[1].eventKey);
  });

  it('routes instagram entries to INSTAGRAM and ignores objects that carry no messages', () => {
    const ig = signedMetaDelivery(metaFixture('ig-comment'));
    const v = c.verifyWebhook(post(ig.rawBody, ig.headers));
    expect(v.kind === 'accepted' && v.deliveries.map((d) => [d.platform, d.externalAccountId])).toEqual([
      [Platform.INSTAGRAM, IG],
    ]);
    const other = signedMetaDelivery({ object: 'permissions', entry: [{ id: '1', time: 1, changes: [] }] });
    expect(c.verifyWebhook(post(other.rawBody, other.headers))).toEqual({ kind: 'accepted', deliveries: [] });
  });
});

describe('Meta normalize', () => {
  const POST = `${PAGE}_412345678901234`;
  const TOP = '412345678901234_998877665544332';

  it('a Facebook comment: inbound COMMENT threaded on its post and own id, with its photo', () => {
    const m = onlyMessage('fb-comment-add');
    expect(m).toMatchObject({
      kind: 'COMMENT',
      direction: 'INBOUND',
      visibility: 'PUBLIC',
      externalId: TOP,
      threadKey: `comment:${POST}:${TOP}`,
      parentExternalId: null,
      customer: { externalUserId: '7003218891234567', displayName: 'Dana Whitfield' },
      body: 'My order #4412 arrived broken. Who can help?',
      occurredAt: new Date(1732349998 * 1000),
      replyContext: {
        surface: 'fb_comment',
        pageId: PAGE,
        postId: POST,
        commentId: TOP,
        topLevelCommentId: TOP,
      },
    });
    expect(m.attachments).toEqual([
      {
        type: 'IMAGE',
        url: 'https://scontent.xx.fbcdn.net/v/t39.30808-6/467123456_n.jpg',
        name: null,
        size: null,
        mimeType: null,
      },
    ]);
  });

  it('a reply joins the thread of its top-level comment', () => {
    const m = onlyMessage('fb-comment-reply');
    expect(m).toMatchObject({
      externalId: '412345678901234_998877665544390',
      threadKey: `comment:${POST}:${TOP}`,
      parentExternalId: TOP,
    });
  });

  it("the Page's own comment is OUTBOUND, with no customer (the Page is no contact of its own)", () => {
    const m = onlyMessage('fb-page-own-comment');
    expect(m).toMatchObject({
      direction: 'OUTBOUND',
      threadKey: `comment:${POST}:${TOP}`,
      customer: null,
    });
  });

  it('edited and removed comments become an edit and a deletion of the same id', () => {
    expect(normalizeFixture('fb-comment-edited')).toEqual([
      {
        type: 'edit',
        externalId: TOP,
        body: 'My order #4412 arrived broken (the lid is cracked). Who can help?',
        occurredAt: new Date(1732350298000),
      },
    ]);
    expect(normalizeFixture('fb-comment-remove')).toEqual([
      { type: 'deletion', externalId: TOP, occurredAt: new Date(1732350599000) },
    ]);
  });

  it('a Messenger text: inbound private DM keyed by the PSID', () => {
    const m = onlyMessage('messenger-text');
    expect(m).toMatchObject({
      kind: 'DM',
      direction: 'INBOUND',
      visibility: 'PRIVATE',
      threadKey: 'dm:6543210987654321',
      customer: { externalUserId: '6543210987654321' },
      body: 'Hi! Where is my refund for order 4412?',
      occurredAt: new Date(1732351000312),
      replyContext: {
        surface: 'messenger',
        psid: '6543210987654321',
        recipientId: '6543210987654321',
        accountId: PAGE,
      },
    });
    expect(m.externalId).toMatch(/^m_AbCd/);
  });

  it('Messenger attachments and stickers', () => {
    expect(onlyMessage('messenger-attachments').attachments).toEqual([
      {
        type: 'IMAGE',
        url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/468001234_n.jpg',
        name: null,
        size: null,
        mimeType: null,
      },
      {
        type: 'FILE',
        url: 'https://cdn.fbsbx.com/v/t59.2708-21/468009999_receipt-4412.pdf',
        name: 'receipt-4412.pdf',
        size: null,
        mimeType: null,
      },
    ]);
    const sticker = onlyMessage('messenger-sticker');
    expect(sticker.body).toBe('');
    expect(sticker.attachments.map((a) => a.type)).toEqual(['STICKER']);
  });

  it('an echo is OUTBOUND to the recipient, in the same thread', () => {
    const m = onlyMessage('messenger-echo');
    expect(m).toMatchObject({
      direction: 'OUTBOUND',
      threadKey: 'dm:6543210987654321',
      customer: { externalUserId: '6543210987654321' },
    });
  });

  it('an echo of our own send carries the idempotency key back', () => {
    const body = metaFixture('messenger-echo');
    body.entry[0].messaging[0].message.metadata = 'outbound-key-1';
    const c = metaConnector();
    const [m] = c.normalize({
      platform: Platform.FACEBOOK_PAGE,
      externalAccountId: PAGE,
      payload: body.entry[0],
    });
    expect((m as NormalizedMessage).replyContext.idempotencyKey).toBe('outbound-key-1');
  });

  it('a message edit updates; delivery and read receipts are ignored', () => {
    expect(normalizeFixture('messenger-edit')).toEqual([
      {
        type: 'edit',
        externalId: 'm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefGHIJklmnopQRSTuvwxyz0123',
        body: "Hi! Where is my refund for order 4412? It's been two weeks.",
        occurredAt: new Date(1732351299800),
      },
    ]);
    expect(normalizeFixture('messenger-delivery-read')).toEqual([]);
  });

  it('a postback (button tap) reads as the customer saying its title', () => {
    expect(onlyMessage('messenger-postback')).toMatchObject({
      kind: 'DM',
      direction: 'INBOUND',
      threadKey: 'dm:6543210987654321',
      body: 'Track my order',
      externalId: 'm_PostbackMid00000000000000000000000000000000000000000000000000000001',
    });
  });

  it('live video comments on Instagram thread like comments', () => {
    const entry = metaFixture('ig-comment').entry[0];
    entry.changes[0].field = 'live_comments';
    const [m] = metaConnector().normalize({
      platform: Platform.INSTAGRAM,
      externalAccountId: IG,
      payload: entry,
    });
    expect(m).toMatchObject({ kind: 'COMMENT', threadKey: 'comment:17900000000000001:17870000000000001' });
  });

  it('an Instagram comment and a reply share the thread of the top-level comment', () => {
    const m = onlyMessage('ig-comment');
    expect(m).toMatchObject({
      kind: 'COMMENT',
      direction: 'INBOUND',
      externalId: '17870000000000001',
      threadKey: 'comment:17900000000000001:17870000000000001',
      customer: { externalUserId: '1122334455667788', username: 'maya.cooks' },
      body: 'Does this pan work on induction? @acme.kitchen',
      occurredAt: new Date(1732352000 * 1000),
      replyContext: {
        surface: 'ig_comment',
        igUserId: IG,
        mediaId: '17900000000000001',
        commentId: '17870000000000001',
      },
    });
    const r = onlyMessage('ig-comment-reply');
    expect(r).toMatchObject({
      threadKey: 'comment:17900000000000001:17870000000000001',
      parentExternalId: '17870000000000001',
    });
  });

  it('an Instagram mention is its own MENTION thread', () => {
    const m = onlyMessage('ig-mention');
    expect(m).toMatchObject({
      kind: 'MENTION',
      externalId: '17894227972186120',
      threadKey: 'mention:17894227972186120',
      replyContext: {
        surface: 'ig_mention',
        igUserId: IG,
        mediaId: '17918195224117851',
        commentId: '17894227972186120',
      },
    });
  });

  it('an Instagram DM keyed by the IGSID, and its unsend as a deletion', () => {
    const m = onlyMessage('ig-dm');
    expect(m).toMatchObject({
      kind: 'DM',
      threadKey: 'dm:1122334455667788',
      replyContext: { surface: 'ig_dm', igsid: '1122334455667788' },
    });
    expect(m.attachments.map((a) => a.type)).toEqual(['IMAGE']);
    expect(normalizeFixture('ig-dm-deleted')).toEqual([
      { type: 'deletion', externalId: m.externalId, occurredAt: new Date(1732352400111) },
    ]);
  });

  it('a batched delivery normalizes every entry', () => {
    const events = normalizeFixture('batched') as NormalizedMessage[];
    expect(events.map((e) => [e.kind, e.threadKey])).toEqual([
      ['DM', 'dm:6543210987654321'],
      ['DM', 'dm:6543210987654321'],
      ['COMMENT', 'comment:108000000000777_500000000000001:500000000000001_600000000000001'],
      ['COMMENT', `comment:${POST}:412345678901234_998877665544500`],
    ]);
  });
});
