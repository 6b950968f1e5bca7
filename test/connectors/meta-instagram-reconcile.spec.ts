import { Platform } from '@caredesk/channels';
import { FakeMetaGraph, graphErrors } from '../fakes/meta-graph';
import { META_TEST_APP_SECRET } from '../fakes/meta-webhook';
import { connectorError, META_IG_ID, META_PAGE_ID, metaConnector, outbound } from './meta.support';

const PAGE_TOKEN = 'EAAGpagetoken';
const MEDIA_ID = '17918195224117851';
const MENTION_COMMENT_ID = '17894227972186120';
const CAPTION_MEDIA_ID = '17920112008063024';
const IG_FIELDS = 'id,text,timestamp,user';

/** A reply from the Instagram channel (Instagram with Facebook Login: a Page token). */
const ig = (target: Record<string, string>, body: string) =>
  outbound({ action: 'REPLY', externalAccountId: META_IG_ID, platform: Platform.INSTAGRAM, target, body });
const commentMention = {
  surface: 'ig_mention',
  igUserId: META_IG_ID,
  mediaId: MEDIA_ID,
  commentId: MENTION_COMMENT_ID,
};
const captionMention = { surface: 'ig_mention', igUserId: META_IG_ID, mediaId: CAPTION_MEDIA_ID };

/**
 * Reading back an Instagram reply whose answer was lost. The account's own comments are told apart by
 * the IG Comment `user` field (its IG user id, returned only on the app user's comments), not `from`,
 * which holds the author's IGSID. Mention replies are read through the IG User's mention fields.
 */
describe('Instagram reconcile against a fake Graph API', () => {
  let graph: FakeMetaGraph;
  let connector: ReturnType<typeof metaConnector>;

  beforeAll(async () => {
    graph = await FakeMetaGraph.start(META_TEST_APP_SECRET);
    connector = metaConnector(graph.url, 300);
    await fetch(graph.url).then((r) => r.text()); // warm undici up before the 300 ms timeouts
  });
  afterAll(() => graph.close());
  beforeEach(() => {
    graph.reset();
    graph.mentionedComments.clear();
    graph.mentionedMedia.clear();
    graph.tokenOwners.set(PAGE_TOKEN, META_PAGE_ID);
    graph.linkedInstagram.set(META_PAGE_ID, META_IG_ID);
    graph.mentionedComments.set(MENTION_COMMENT_ID, { id: MENTION_COMMENT_ID, text: '@acme help' });
    graph.mentionedMedia.set(CAPTION_MEDIA_ID, { id: CAPTION_MEDIA_ID, caption: 'acme haul!' });
  });

  it('a comment reply: its own reply is the one with `user`, asked for in the fields', async () => {
    const target = {
      surface: 'ig_comment',
      igUserId: META_IG_ID,
      commentId: '1787',
      topLevelCommentId: '1787',
    };
    graph.answerNext('accept-then-hang');
    const req = ig(target, 'We have sent a new one.');
    expect((await connectorError(connector.send(req))).code).toBe('TRANSIENT');
    // Someone else answers after us with the very same words: theirs has no `user`, ours stays newest.
    graph.addIgComment('1787', 'We have sent a new one.', '5511223344556677');
    expect(await connector.reconcile(req)).toEqual({ externalId: graph.created[0] });
    expect(graph.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/1787/replies',
      query: { fields: IG_FIELDS, limit: '100' },
    });
  });

  it('a comment reply on a busy thread: every page of /replies is read, with the `after` cursor', async () => {
    const target = {
      surface: 'ig_comment',
      igUserId: META_IG_ID,
      commentId: '1790',
      topLevelCommentId: '1790',
    };
    for (let i = 0; i < 230; i++) graph.addIgComment('1790', `me too ${i}`, `55110000${i}`);
    graph.answerNext('accept-then-hang');
    const req = ig(target, 'Our answer, late in a busy thread');
    expect((await connectorError(connector.send(req))).code).toBe('TRANSIENT');
    const before = graph.requests.length;

    // Ours is the 231st reply: on the third page of 100.
    expect(await connector.reconcile(req)).toEqual({ externalId: graph.created[0] });
    const reads = graph.requests.slice(before);
    expect(reads.map((r) => r.path)).toEqual(['/1790/replies', '/1790/replies', '/1790/replies']);
    expect(reads[0].query.after).toBeUndefined();
    expect(reads.slice(1).every((r) => r.query.after && r.query.limit === '100')).toBe(true);
  });

  it('a comment mention: the reply is read from mentioned_comment{replies}', async () => {
    graph.answerNext('accept-then-hang');
    const req = ig(commentMention, 'Sorry! DM us your order number.');
    expect((await connectorError(connector.send(req))).code).toBe('TRANSIENT');
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      path: `/${META_IG_ID}/mentions`,
      body: { media_id: MEDIA_ID, comment_id: MENTION_COMMENT_ID },
    });

    expect(await connector.reconcile(req)).toEqual({ externalId: graph.created[0] });
    expect(graph.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/${META_IG_ID}`,
      query: {
        fields: `mentioned_comment.comment_id(${MENTION_COMMENT_ID}){replies.limit(100){${IG_FIELDS}}}`,
      },
    });
    // The account said something else there last: not this send.
    expect(await connector.reconcile(ig(commentMention, 'Another text'))).toBeNull();
    expect(graph.created).toHaveLength(1);
  });

  it('a caption mention: the reply is read from mentioned_media{comments}', async () => {
    await connector.send(ig(captionMention, 'An older answer'));
    graph.answerNext('accept-then-hang');
    const req = ig(captionMention, 'Thanks for the shout-out!');
    await connectorError(connector.send(req));
    expect(graph.requests.at(-1)!.body).toEqual({
      media_id: CAPTION_MEDIA_ID,
      message: 'Thanks for the shout-out!',
    });

    expect(await connector.reconcile(req)).toEqual({ externalId: graph.created.at(-1) });
    expect(graph.requests.at(-1)!.query.fields).toBe(
      `mentioned_media.media_id(${CAPTION_MEDIA_ID}){comments.limit(100){${IG_FIELDS}}}`,
    );
  });

  it('only the account’s own comment counts: another user’s with the same text is not ours', async () => {
    graph.addIgComment(MENTION_COMMENT_ID, 'Sorry! DM us your order number.', '5511223344556677');
    expect(await connector.reconcile(ig(commentMention, 'Sorry! DM us your order number.'))).toBeNull();
  });

  it('the read failing (or the mention gone) answers null: the retry sends, and reports what it sent', async () => {
    graph.answerNext('hang');
    const req = ig(commentMention, 'Sent once the read fails');
    await connectorError(connector.send(req));
    graph.answerNext(graphErrors.serverError(), 1, 'GET');
    expect(await connector.reconcile(req)).toBeNull();
    graph.mentionedComments.clear();
    expect(await connector.reconcile(req)).toBeNull();
    // What the send worker does next: send, and record the id of the reply this send made.
    expect(await connector.send(req)).toEqual({ externalId: graph.created[0] });
    expect(graph.created).toHaveLength(1);
  });

  it('a mention target without its media id was never sent: nothing is read', async () => {
    expect(await connector.reconcile(ig({ threadKey: `mention:${MENTION_COMMENT_ID}` }, 'Hello'))).toBeNull();
    expect(graph.requests).toHaveLength(0);
  });
});
