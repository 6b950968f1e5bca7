import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Platform } from '../../platform';
import { NormalizedMessage, WebhookRequest } from '../connector';
import { LinkedInConnector, splitLinkedIn } from './linkedin.connector';

const SECRET = 'linkedin-client-secret-for-tests';
const ORG = 'urn:li:organization:2414183';
const POST = 'urn:li:share:7260000000000000001';
const TOP = 'urn:li:comment:(urn:li:activity:7260000000000000010,7260000000000000011)';
const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../../../../test/fixtures/linkedin', name));
const connector = new LinkedInConnector({
  linkedin: { clientSecret: SECRET, apiUrl: 'http://127.0.0.1:9' },
  timeoutMs: 1000,
});

// Computed independently of the code under test, from the documented formula.
const sign = (body: Buffer | string, secret = SECRET) =>
  createHmac('sha256', secret).update(`hmacsha256=${body.toString()}`).digest('hex');
const post = (rawBody: Buffer, signature?: string): WebhookRequest => ({
  method: 'POST',
  headers: signature === undefined ? {} : { 'x-li-signature': signature },
  query: {},
  rawBody,
});
const events = (name: string) => splitLinkedIn(fixture(name)).flatMap((d) => connector.normalize(d));

describe('LinkedInConnector.verifyWebhook', () => {
  it('answers challengeCode with hex HMAC-SHA256(challengeCode, client secret)', () => {
    const code = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    const v = connector.verifyWebhook({
      method: 'GET',
      headers: {},
      query: { challengeCode: code },
      rawBody: Buffer.alloc(0),
    });
    expect(v).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        challengeCode: code,
        challengeResponse: createHmac('sha256', SECRET).update(code).digest('hex'),
      }),
    });
  });

  it('rejects a GET without challengeCode', () => {
    expect(
      connector.verifyWebhook({ method: 'GET', headers: {}, query: {}, rawBody: Buffer.alloc(0) }).kind,
    ).toBe('rejected');
  });

  it('accepts X-LI-Signature over "hmacsha256=" + raw body, with or without the literal as prefix', () => {
    const raw = fixture('comment.json');
    expect(connector.verifyWebhook(post(raw, sign(raw))).kind).toBe('accepted');
    expect(connector.verifyWebhook(post(raw, `hmacsha256=${sign(raw)}`)).kind).toBe('accepted');
  });

  it.each([
    ['missing', undefined, 401],
    ['wrong secret', sign(fixture('comment.json'), 'other-secret-123'), 403],
    ['over the bare body', createHmac('sha256', SECRET).update(fixture('comment.json')).digest('hex'), 403],
    ['garbage', 'zz', 403],
  ])('rejects a %s signature with %s', (_l, signature, status) => {
    expect(connector.verifyWebhook(post(fixture('comment.json'), signature))).toMatchObject({
      kind: 'rejected',
      status,
    });
  });
});

describe('splitLinkedIn', () => {
  it('one delivery per notification, keyed by notificationId, routed by the organization URN', () => {
    const d = splitLinkedIn(fixture('edit-and-delete.json'));
    expect(d.map((x) => [x.platform, x.externalAccountId, x.eventKey])).toEqual([
      [Platform.LINKEDIN, ORG, '7014355900'],
      [Platform.LINKEDIN, ORG, '7014355901'],
    ]);
  });

  it('hashes a notification without id, stably', () => {
    const n = { organizationalEntity: ORG, action: 'COMMENT', sourcePost: POST };
    const body = Buffer.from(JSON.stringify({ notifications: [n] }));
    const [a] = splitLinkedIn(body);
    expect(a.eventKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(splitLinkedIn(body)[0].eventKey).toBe(a.eventKey);
  });
});

describe('LinkedInConnector.normalize', () => {
  it('a comment on the org post → COMMENT in comment:<post>:<comment>', () => {
    const [m] = events('comment.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      type: 'message',
      kind: 'COMMENT',
      direction: 'INBOUND',
      visibility: 'PUBLIC',
      externalId: TOP,
      threadKey: `comment:${POST}:${TOP}`,
      parentExternalId: null,
      customer: { externalUserId: 'urn:li:person:Ab12Cd34Ef', username: null, displayName: null },
      body: 'Will the weekend line still be open?',
      replyContext: {
        object: 'urn:li:activity:7260000000000000010',
        postUrn: POST,
        commentUrn: TOP,
        parentComment: TOP,
        actor: 'urn:li:person:Ab12Cd34Ef',
      },
    });
    expect(m.occurredAt).toEqual(new Date(1795252502000));
  });

  it('a reply to that comment joins the top-level comment thread', () => {
    const [m] = events('reply-comment.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      direction: 'INBOUND',
      externalId: 'urn:li:comment:(urn:li:activity:7260000000000000010,7260000000000000031)',
      threadKey: `comment:${POST}:${TOP}`,
      parentExternalId: TOP,
    });
  });

  it("the org's own reply (ADMIN_COMMENT) → OUTBOUND in the same thread", () => {
    const [m] = events('own-comment.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      kind: 'COMMENT',
      direction: 'OUTBOUND',
      threadKey: `comment:${POST}:${TOP}`,
      body: 'Yes, weekends 9-5 as before.',
      // The org is no contact of its own: the message takes its conversation's.
      customer: null,
    });
  });

  it('a post mentioning the org → MENTION in mention:<share urn>', () => {
    const [m] = events('mention.json') as NormalizedMessage[];
    expect(m).toMatchObject({
      kind: 'MENTION',
      direction: 'INBOUND',
      externalId: 'urn:li:share:7260000000000000500',
      threadKey: 'mention:urn:li:share:7260000000000000500',
      customer: { externalUserId: 'urn:li:person:Gh56Ij78Kl' },
      replyContext: { object: 'urn:li:share:7260000000000000500' },
    });
  });

  it('COMMENT_EDIT → edit, COMMENT_DELETE → deletion, LIKE → nothing', () => {
    expect(events('edit-and-delete.json')).toEqual([
      {
        type: 'edit',
        externalId: TOP,
        body: 'Will the weekend phone line still be open?',
        occurredAt: new Date(1795255000000),
      },
      {
        type: 'deletion',
        externalId: 'urn:li:comment:(urn:li:activity:7260000000000000010,7260000000000000031)',
        occurredAt: new Date(1795255100000),
      },
    ]);
    expect(
      connector.normalize({
        platform: Platform.LINKEDIN,
        externalAccountId: ORG,
        payload: { organizationalEntity: ORG, action: 'LIKE', sourcePost: POST },
      }),
    ).toEqual([]);
  });
});
