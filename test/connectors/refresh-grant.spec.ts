import { ConnectorError, oauthClientFor, Platform, refreshGrant } from '@caredesk/channels';
import { FakeOAuthTokens, OAUTH_CLIENT } from '../fakes/oauth-token';

/** Each platform's refresh grant against the fake token endpoints (real HTTP, the platforms' formats). */
describe('refreshGrant', () => {
  let oauth: FakeOAuthTokens;
  const client = () => ({ url: oauth.url, clientId: OAUTH_CLIENT.id, clientSecret: OAUTH_CLIENT.secret });

  beforeAll(async () => {
    oauth = await FakeOAuthTokens.start();
  });
  afterAll(() => oauth?.close());

  it('LinkedIn: client_id and client_secret in the form; the refresh token is kept, 60 days granted', async () => {
    oauth.grant('linkedin', 'li-refresh-1');
    const granted = await refreshGrant('linkedin', client(), 'li-refresh-1', 5000);
    expect(granted).toEqual({
      accessToken: expect.stringMatching(/^linkedin-access-\d+$/),
      refreshToken: 'li-refresh-1',
      expiresInSeconds: 5184000,
    });
    expect(oauth.requests.at(-1)).toMatchObject({
      path: '/oauth/v2/accessToken',
      contentType: 'application/x-www-form-urlencoded',
      form: {
        client_id: OAUTH_CLIENT.id,
        client_secret: OAUTH_CLIENT.secret,
        grant_type: 'refresh_token',
        refresh_token: 'li-refresh-1',
      },
    });
  });

  it('TikTok: client_key in the form; the refresh token rotates and the old one is refused after', async () => {
    oauth.grant('tiktok', 'rft.start');
    const granted = await refreshGrant('tiktok', client(), 'rft.start', 5000);
    expect(granted).toEqual({
      accessToken: expect.stringMatching(/^act\.tiktok-access-\d+$/),
      refreshToken: expect.stringMatching(/^rft\.tiktok-refresh-\d+$/),
      expiresInSeconds: 86400,
    });
    expect(oauth.requests.at(-1)!.form).toEqual({
      client_key: OAUTH_CLIENT.id,
      client_secret: OAUTH_CLIENT.secret,
      grant_type: 'refresh_token',
      refresh_token: 'rft.start',
    });
    const again = refreshGrant('tiktok', client(), 'rft.start', 5000);
    await expect(again).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
      message: expect.stringMatching(/invalid_grant/),
    });
  });

  it('a refused grant or a wrong client is AUTH_EXPIRED (cannot succeed); an unreachable endpoint is TRANSIENT', async () => {
    const revoked = refreshGrant('google', client(), 'never-granted', 5000);
    await expect(revoked).rejects.toBeInstanceOf(ConnectorError);
    await expect(revoked).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    oauth.grant('x', 'x-live');
    const wrongClient = refreshGrant('x', { ...client(), clientSecret: 'not-the-secret' }, 'x-live', 5000);
    await expect(wrongClient).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
      message: expect.stringMatching(/invalid_client/),
    });
    expect(oauth.isLive('x-live')).toBe(true);
    const down = refreshGrant('google', { ...client(), url: 'http://127.0.0.1:1' }, 'x', 5000);
    await expect(down).rejects.toMatchObject({ code: 'TRANSIENT' });
  });

  it('only Google, X, LinkedIn and TikTok with a configured client id refresh', () => {
    const oauthConfig = {
      google: client(),
      x: { url: 'http://x' },
      linkedin: client(),
      tiktok: client(),
    };
    expect(oauthClientFor({ oauth: oauthConfig }, Platform.GOOGLE_BUSINESS)?.name).toBe('google');
    expect(oauthClientFor({ oauth: oauthConfig }, Platform.X)).toBeNull();
    expect(oauthClientFor({ oauth: oauthConfig }, Platform.FACEBOOK_PAGE)).toBeNull();
    expect(oauthClientFor({ oauth: oauthConfig }, Platform.TIKTOK)?.name).toBe('tiktok');
  });
});
