import { createHmac } from 'node:crypto';
import { ConnectorError, NormalizedMessage, Platform } from '@caredesk/channels';
import { FakeMetaGraph } from '../fakes/meta-graph';
import { META_TEST_APP_SECRET, metaFixture } from '../fakes/meta-webhook';
import { META_IG_ID, metaConnector } from './meta.support';

const TOKEN = 'EAAGpagetoken';
const PROOF = createHmac('sha256', META_TEST_APP_SECRET).update(TOKEN).digest('hex');
const COMMENT_ID = '17894227972186120';
const MEDIA_ID = '17920112008063024';

/** The stored delivery of a fixture: its one entry, as the webhook writer keeps it. */
const delivery = (name: string, platform = Platform.INSTAGRAM) => ({
  platform,
  externalAccountId: META_IG_ID,
  payload: metaFixture(name).entry[0],
});

/**
 * Instagram mention notifications carry only ids; MetaConnector.hydrate reads the comment or the
 * captioned media through the Graph API (a local fake that answers Meta's shapes and checks the
 * appsecret_proof), and normalize then has the text, the author and the time.
 */
describe('Instagram mentions: hydration against a fake Graph API', () => {
  let graph: FakeMetaGraph;
  let connector: ReturnType<typeof metaConnector>;

  beforeAll(async () => {
    graph = await FakeMetaGraph.start(META_TEST_APP_SECRET);
    connector = metaConnector(graph.url, 5000);
  });
  afterAll(() => graph.close());
  beforeEach(() => {
    graph.reset();
    graph.mentionedComments.clear();
    graph.mentionedMedia.clear();
  });

  it('only mentions need it: comments, DMs, Facebook and already hydrated mentions do not', async () => {
    expect(connector.needsHydration(delivery('ig-mention'))).toBe(true);
    expect(connector.needsHydration(delivery('ig-mention-caption'))).toBe(true);
    for (const name of ['ig-comment', 'ig-dm']) expect(connector.needsHydration(delivery(name))).toBe(false);
    expect(connector.needsHydration(delivery('fb-comment-add', Platform.FACEBOOK_PAGE))).toBe(false);
    expect(connector.needsHydration(delivery('messenger-text', Platform.FACEBOOK_PAGE))).toBe(false);

    graph.mentionedComments.set(COMMENT_ID, { id: COMMENT_ID, text: 'hi', username: 'ola' });
    const hydrated = await connector.hydrate(delivery('ig-mention'), { accessToken: TOKEN });
    expect(connector.needsHydration({ ...delivery('ig-mention'), payload: hydrated })).toBe(false);
  });

  it('a comment @mention: GET mentioned_comment, then the message has its text, author and time', async () => {
    graph.mentionedComments.set(COMMENT_ID, {
      id: COMMENT_ID,
      text: '@acme.coffee my order #4412 never arrived 😡',
      timestamp: '2026-11-20T09:15:42+0000',
      username: 'kari.nordmann',
      media: { id: '17918195224117851', permalink: 'https://www.instagram.com/p/Cxyz/' },
    });
    const d = delivery('ig-mention');
    const hydrated = await connector.hydrate(d, { accessToken: TOKEN });

    expect(graph.requests).toEqual([
      {
        method: 'GET',
        path: `/${META_IG_ID}`,
        query: {
          fields: `mentioned_comment.comment_id(${COMMENT_ID}){id,text,timestamp,username,media{id,permalink}}`,
          appsecret_proof: PROOF,
        },
        authorization: `Bearer ${TOKEN}`,
        body: null,
      },
    ]);
    const [m] = connector.normalize({ ...d, payload: hydrated }) as NormalizedMessage[];
    expect(m).toMatchObject({
      kind: 'MENTION',
      externalId: COMMENT_ID,
      threadKey: `mention:${COMMENT_ID}`,
      body: '@acme.coffee my order #4412 never arrived 😡',
      customer: { externalUserId: 'username:kari.nordmann', username: 'kari.nordmann' },
      occurredAt: new Date('2026-11-20T09:15:42Z'),
      replyContext: { surface: 'ig_mention', igUserId: META_IG_ID, commentId: COMMENT_ID },
    });
  });

  it('a caption @mention: GET mentioned_media, the caption is the body and the media an attachment', async () => {
    graph.mentionedMedia.set(MEDIA_ID, {
      id: MEDIA_ID,
      caption: 'Morning flat white from @acme.coffee ☕️ best in Oslo',
      media_type: 'IMAGE',
      media_url: 'https://scontent.cdninstagram.com/v/t51/flatwhite.jpg',
      permalink: 'https://www.instagram.com/p/Cabc/',
      timestamp: '2026-11-21T07:02:11+0000',
      username: 'maya.cooks',
    });
    const d = delivery('ig-mention-caption');
    const hydrated = await connector.hydrate(d, { accessToken: TOKEN });
    expect(graph.requests.map((r) => r.query.fields)).toEqual([
      `mentioned_media.media_id(${MEDIA_ID}){id,caption,media_type,media_url,permalink,timestamp,username}`,
    ]);
    const [m] = connector.normalize({ ...d, payload: hydrated }) as NormalizedMessage[];
    expect(m).toMatchObject({
      kind: 'MENTION',
      externalId: MEDIA_ID,
      body: 'Morning flat white from @acme.coffee ☕️ best in Oslo',
      customer: { externalUserId: 'username:maya.cooks', username: 'maya.cooks' },
      occurredAt: new Date('2026-11-21T07:02:11Z'),
      attachments: [
        {
          type: 'IMAGE',
          url: 'https://scontent.cdninstagram.com/v/t51/flatwhite.jpg',
          name: null,
          size: null,
          mimeType: null,
        },
      ],
    });
  });

  it('a mention whose comment cannot be read (deleted, comments turned off) fails as the Graph API says', async () => {
    const err = await connector
      .hydrate(delivery('ig-mention'), { accessToken: TOKEN })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).not.toBe('TRANSIENT');
  });

  it('no access token: AUTH_EXPIRED before any call', async () => {
    await expect(connector.hydrate(delivery('ig-mention'), {})).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
    });
    expect(graph.requests).toEqual([]);
  });

  it('without hydration (stored before it existed) the mention still threads, with a placeholder author', () => {
    const [m] = connector.normalize(delivery('ig-mention')) as NormalizedMessage[];
    expect(m).toMatchObject({
      body: '',
      customer: { externalUserId: `mention:${COMMENT_ID}`, username: null },
      threadKey: `mention:${COMMENT_ID}`,
    });
  });
});
