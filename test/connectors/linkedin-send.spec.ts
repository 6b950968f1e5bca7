import { ConnectorError, OutboundRequest } from '../../libs/channels/src/connectors/connector';
import { LINKEDIN_VERSION } from '../../libs/channels/src/connectors/linkedin/linkedin-api.client';
import { LinkedInConnector } from '../../libs/channels/src/connectors/linkedin/linkedin.connector';
import { FakeLinkedInApi } from '../fakes/linkedin-api';

const ORG = 'urn:li:organization:2414183';
const POST = 'urn:li:share:7260000000000000001';
const ACTIVITY = 'urn:li:activity:7260000000000000010';
const TOP = `urn:li:comment:(${ACTIVITY},7260000000000000011)`;
const NESTED = `urn:li:comment:(${ACTIVITY},7260000000000000031)`;
const COMMENT_CTX = {
  object: ACTIVITY,
  postUrn: POST,
  commentUrn: TOP,
  parentComment: TOP,
  actor: 'urn:li:person:Ab12Cd34Ef',
};

describe('LinkedInConnector.send against a fake LinkedIn API', () => {
  let fake: FakeLinkedInApi;
  let li: LinkedInConnector;

  beforeAll(async () => {
    fake = await new FakeLinkedInApi().start();
    li = new LinkedInConnector({ linkedin: { apiUrl: fake.url }, timeoutMs: 500 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const req = (over: Partial<OutboundRequest>): OutboundRequest => ({
    action: 'REPLY',
    externalAccountId: ORG,
    credentials: { accessToken: 'li-token', extra: {} },
    body: 'Yes — weekends 9 to 5.',
    target: COMMENT_CTX,
    idempotencyKey: 'out-1',
    ...over,
  });

  it('REPLY to a comment → nested comment under the top-level comment, as the org, versioned Rest.li 2.0', async () => {
    const res = await li.send(req({}));
    const [r] = fake.requests;
    expect(r.method).toBe('POST');
    expect(r.url).toBe(`/rest/socialActions/${encodeURIComponent(TOP)}/comments`);
    expect(r.headers.authorization).toBe('Bearer li-token');
    expect(r.headers['linkedin-version']).toBe(LINKEDIN_VERSION);
    expect(r.headers['x-restli-protocol-version']).toBe('2.0.0');
    expect(r.body).toEqual({
      actor: ORG,
      object: ACTIVITY,
      message: { text: 'Yes — weekends 9 to 5.' },
      parentComment: TOP,
    });
    expect(res.externalId).toMatch(/^urn:li:comment:\(urn:li:activity:7260000000000000010,\d+\)$/);
  });

  it('REPLY to a mention → a comment on the post that mentioned the org', async () => {
    const share = 'urn:li:share:7260000000000000500';
    await li.send(req({ target: { object: share, postUrn: share, actor: 'urn:li:person:Gh56Ij78Kl' } }));
    const [r] = fake.requests;
    expect(r.url).toBe(`/rest/socialActions/${encodeURIComponent(share)}/comments`);
    expect(r.body).toEqual({ actor: ORG, object: share, message: { text: 'Yes — weekends 9 to 5.' } });
  });

  it('DELETE → DELETE the comment under what it was made on, ?actor=org', async () => {
    await li.send(req({ action: 'DELETE', body: '' }));
    await li.send(req({ action: 'DELETE', body: '', target: { ...COMMENT_CTX, commentUrn: NESTED } }));
    expect(fake.requests.map((r) => [r.method, r.url])).toEqual([
      [
        'DELETE',
        `/rest/socialActions/${encodeURIComponent(POST)}/comments/7260000000000000011?actor=${encodeURIComponent(ORG)}`,
      ],
      [
        'DELETE',
        `/rest/socialActions/${encodeURIComponent(TOP)}/comments/7260000000000000031?actor=${encodeURIComponent(ORG)}`,
      ],
    ]);
  });

  it.each(['PRIVATE_REPLY', 'DIRECT_MESSAGE', 'HIDE', 'UNHIDE', 'EMAIL'] as const)(
    '%s → UNSUPPORTED, nothing sent',
    async (action) => {
      await expect(li.send(req({ action }))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      expect(fake.requests).toHaveLength(0);
    },
  );

  describe('from the generic target the send worker builds (threadKey, externalId)', () => {
    it('REPLY in a comment thread → nested under the top-level comment, object from its URN', async () => {
      await li.send(
        req({
          target: {
            threadKey: `comment:${POST}:${TOP}`,
            externalId: NESTED,
            parentExternalId: TOP,
            recipientId: 'urn:li:person:Ab12Cd34Ef',
          },
        }),
      );
      const [r] = fake.requests;
      expect(r.url).toBe(`/rest/socialActions/${encodeURIComponent(TOP)}/comments`);
      expect(r.body).toEqual({
        actor: ORG,
        object: ACTIVITY,
        message: { text: 'Yes — weekends 9 to 5.' },
        parentComment: TOP,
      });
    });

    it('REPLY in a mention thread → a comment on the share', async () => {
      const share = 'urn:li:share:7260000000000000500';
      await li.send(req({ target: { threadKey: `mention:${share}`, externalId: share } }));
      expect(fake.requests[0]).toMatchObject({
        url: `/rest/socialActions/${encodeURIComponent(share)}/comments`,
        body: { object: share },
      });
    });

    it('DELETE of a top-level comment → under the post from the thread key', async () => {
      await li.send(
        req({ action: 'DELETE', body: '', target: { threadKey: `comment:${POST}:${TOP}`, externalId: TOP } }),
      );
      expect(fake.requests[0].url).toBe(
        `/rest/socialActions/${encodeURIComponent(POST)}/comments/7260000000000000011?actor=${encodeURIComponent(ORG)}`,
      );
    });
  });

  describe('error mapping', () => {
    const failure = async (over: Partial<OutboundRequest> = {}) => {
      const e = await li.send(req(over)).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(ConnectorError);
      return e as ConnectorError;
    };

    it('401 → AUTH_EXPIRED', async () => {
      fake.failNext({
        status: 401,
        body: {
          status: 401,
          serviceErrorCode: 65601,
          code: 'REVOKED_ACCESS_TOKEN',
          message: 'The token used in the request has been revoked by the user',
        },
      });
      expect((await failure()).code).toBe('AUTH_EXPIRED');
    });

    it('429 → RATE_LIMITED, honouring Retry-After when sent', async () => {
      fake.failNext({
        status: 429,
        headers: { 'retry-after': '30' },
        body: {
          status: 429,
          message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
        },
      });
      expect(await failure()).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
      fake.failNext({ status: 429, body: { status: 429, message: 'throttled' } });
      expect(await failure()).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    });

    it('500, a hung request, a closed port → TRANSIENT', async () => {
      fake.failNext({ status: 500, body: { status: 500, message: 'Internal Server Error' } });
      expect((await failure()).code).toBe('TRANSIENT');
      fake.failNext('hang');
      expect((await failure()).code).toBe('TRANSIENT');
      const down = new LinkedInConnector({ linkedin: { apiUrl: 'http://127.0.0.1:9' }, timeoutMs: 500 });
      await expect(down.send(req({}))).rejects.toMatchObject({ code: 'TRANSIENT' });
    });

    it('403 and 422 → REJECTED with LinkedIn message', async () => {
      fake.failNext({
        status: 403,
        body: {
          status: 403,
          serviceErrorCode: 100,
          code: 'ACCESS_DENIED',
          message: 'Not enough permissions to access: partnerApiSocialActions.CREATE',
        },
      });
      const e = await failure();
      expect(e.code).toBe('REJECTED');
      expect(e.message).toContain('Not enough permissions');
      fake.failNext({ status: 422, body: { status: 422, message: 'Comment text is too long' } });
      expect((await failure()).code).toBe('REJECTED');
    });

    it('no token → AUTH_EXPIRED without calling LinkedIn', async () => {
      expect((await failure({ credentials: { extra: {} } })).code).toBe('AUTH_EXPIRED');
      expect(fake.requests).toHaveLength(0);
    });
  });
});
