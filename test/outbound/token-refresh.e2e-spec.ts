import { randomInt } from 'node:crypto';
import { ChannelCredentialsService, ChannelTokenRefresher, Platform } from '@caredesk/channels';
import { RequestContext } from '@caredesk/core';
import { FakeGoogleApi, googleNotification, pubsubPush, startFakeGoogleApi } from '../fakes/google-api';
import { FakeOAuthTokens, OAUTH_CLIENT, oauthEnv } from '../fakes/oauth-token';
import { FakeXApi } from '../fakes/x-api';
import { createMember } from '../support/members';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker, TestWorker } from '../support/test-worker';
import {
  messageRow,
  reply,
  seedAgency,
  seedConversation,
  Seeded,
  waitFor,
  waitForFinalStatus,
} from './outbound-support';

const PAST = '2026-01-01T00:00:00.000Z';
const PUSH_TOKEN = 'google-push-token-refresh';

/**
 * Channel access tokens are refreshed with each platform's refresh grant (fake token endpoints in
 * the platforms' wire format): before a send when they expire, and once when a platform refuses
 * them; only a refused grant marks the channel NEEDS_RECONNECT.
 */
describe('OAuth token refresh on send', () => {
  let oauth: FakeOAuthTokens;
  let google: FakeGoogleApi;
  let x: FakeXApi;
  let smtp: SmtpCapture;
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    oauth = await FakeOAuthTokens.start();
    google = await startFakeGoogleApi();
    x = await new FakeXApi().start();
    smtp = await startSmtpCapture();
    oauth.onIssued = (platform, token) => {
      if (platform === 'google') google.validTokens.add(token);
    };
    t = await startTestApp({
      ...oauthEnv(oauth),
      GOOGLE_API_URL: google.url,
      GOOGLE_PUSH_TOKEN: PUSH_TOKEN,
      X_API_URL: x.url,
      SMTP_URL: smtp.url,
      APP_URL: 'http://app.caredesk.test',
    });
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await x?.stop();
    await google?.close();
    await oauth?.close();
    await smtp?.close();
  });

  /** An agency with one channel connected through the API (credentials sealed as in production). */
  async function seed(
    platform: 'GOOGLE_BUSINESS' | 'X',
    credentials: Record<string, unknown>,
  ): Promise<Seeded> {
    const n = `${Date.now()}${randomInt(1e6)}`;
    const externalAccountId = platform === 'X' ? n : `accounts/${n}/locations/4471935571108419261`;
    return seedAgency(t, platform, { externalAccountId, credentials });
  }

  /** An X channel whose access token has expired, with a refresh token the fake OAuth server accepts. */
  async function expiredX(name: string): Promise<Seeded> {
    oauth.grant('x', `x-refresh-${name}`);
    return seed('X', {
      accessToken: `x-expired-${name}`,
      refreshToken: `x-refresh-${name}`,
      expiresAt: PAST,
    });
  }

  /** A Google review conversation: the review's resource name is the message's external id. */
  async function seedReview(s: Seeded): Promise<{ conversationId: string; reviewName: string }> {
    const c = await seedConversation(t, s, 'REVIEW');
    const reviewName = `${s.accountId}/reviews/AbFv${randomInt(1e9)}`;
    await t.ownerQuery(`UPDATE messages SET external_id = $2 WHERE id = $1`, [c.messageId, reviewName]);
    return { conversationId: c.conversationId, reviewName };
  }

  const stored = (s: Seeded) =>
    worker.app
      .get(ChannelCredentialsService)
      .open(RequestContext.system(s.agency.agencyId, 'test reads credentials'), s.channelId);
  const channelStatus = async (s: Seeded) =>
    (await t.ownerQuery(`SELECT status FROM channels WHERE id = $1`, [s.channelId]))[0].status;

  /**
   * Makes the next `n` commits that change this channel's row fail at COMMIT (a deferred constraint
   * trigger), as when the database goes away after a grant. A sequence counts the attempts: it is
   * not rolled back with them. Answers how many commits the trigger has seen so far.
   */
  async function failCommits(channelId: string, n: number): Promise<() => Promise<number>> {
    const name = `test_fail_${channelId.replaceAll('-', '')}`;
    await t.ownerQuery(`CREATE SEQUENCE ${name}`);
    await t.ownerQuery(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        IF nextval('${name}') <= ${n} THEN RAISE EXCEPTION 'test: the commit is refused'; END IF;
        RETURN NULL;
      END $$`);
    await t.ownerQuery(`CREATE CONSTRAINT TRIGGER ${name} AFTER UPDATE ON channels
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.id = '${channelId}') EXECUTE FUNCTION ${name}()`);
    return async () =>
      Number((await t.ownerQuery(`SELECT last_value, is_called FROM ${name}`))[0].last_value);
  }

  /** A Google fixture moved to the channel's own account (channel routes are global). */
  const googleFixture = (s: Seeded, name: string) =>
    JSON.parse(
      JSON.stringify(googleNotification(name)).replaceAll('108194857201938475610', s.accountId.split('/')[1]),
    );

  /** Pushes the names-only review notification (ingest reads the review with reviews.get); waits until done. */
  async function pushNamesOnlyReview(s: Seeded, n = googleFixture(s, 'names-only')) {
    const res = await fetch(`${t.baseUrl}/webhooks/google?token=${PUSH_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pubsubPush(n, `msg-${s.channelId}`)),
    });
    expect(res.status).toBe(200);
    return waitFor('the review event to stop being PENDING', async () => {
      const [row] = await t.ownerQuery(`SELECT status, attempts FROM inbound_events WHERE agency_id = $1`, [
        s.agency.agencyId,
      ]);
      return row && row.status !== 'PENDING' ? row : null;
    });
  }

  it('Google: an expired token is refreshed (client credentials, form-encoded) and the reply SENT with the new one', async () => {
    oauth.grant('google', 'google-refresh-1');
    const s = await seed('GOOGLE_BUSINESS', {
      accessToken: 'google-expired',
      refreshToken: 'google-refresh-1',
      expiresAt: PAST,
    });
    const { conversationId, reviewName } = await seedReview(s);
    const before = oauth.requests.length;

    const queued = await reply(s.agency.client, conversationId, 'Thank you for the review!');
    expect((await waitForFinalStatus(t, queued.id)).status).toBe('SENT');

    const grants = oauth.requests.slice(before);
    expect(grants).toEqual([
      {
        platform: 'google',
        path: '/token',
        contentType: 'application/x-www-form-urlencoded',
        authorization: undefined,
        form: {
          client_id: OAUTH_CLIENT.id,
          client_secret: OAUTH_CLIENT.secret,
          grant_type: 'refresh_token',
          refresh_token: 'google-refresh-1',
        },
      },
    ]);
    const put = google.requests.filter((r) => r.method === 'PUT' && r.path === `/v4/${reviewName}/reply`);
    expect(put).toHaveLength(1);
    const creds = await stored(s);
    expect(put[0].headers.authorization).toBe(`Bearer ${creds.accessToken}`);
    expect(creds.accessToken).toMatch(/^google-access-\d+$/);
    // Google does not rotate: the refresh token stays; the expiry moves about an hour ahead.
    expect(creds.refreshToken).toBe('google-refresh-1');
    expect(Date.parse(creds.expiresAt!)).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(await channelStatus(s)).toBe('ACTIVE');
  });

  it('X: the rotated refresh token is stored; a token X refuses (401) is refreshed once with it and the reply SENT', async () => {
    oauth.grant('x', 'x-refresh-start');
    const s = await seed('X', { accessToken: 'x-expired', refreshToken: 'x-refresh-start', expiresAt: PAST });
    const mention = await seedConversation(t, s, 'MENTION');
    const before = oauth.requests.length;

    const first = await reply(s.agency.client, mention.conversationId, 'Thanks for the mention!');
    expect((await waitForFinalStatus(t, first.id)).status).toBe('SENT');
    const afterFirst = await stored(s);
    expect(afterFirst.refreshToken).toMatch(/^x-refresh-\d+$/);
    expect(oauth.isLive('x-refresh-start')).toBe(false);
    expect(oauth.isLive(afterFirst.refreshToken!)).toBe(true);
    const grant = oauth.requests[before];
    expect(grant.form).toEqual({
      client_id: OAUTH_CLIENT.id,
      grant_type: 'refresh_token',
      refresh_token: 'x-refresh-start',
    });
    expect(grant.authorization).toBe(
      `Basic ${Buffer.from(`${OAUTH_CLIENT.id}:${OAUTH_CLIENT.secret}`).toString('base64')}`,
    );
    const tweet = x.requests.filter((r) => r.method === 'POST' && r.url === '/2/tweets').at(-1)!;
    expect(tweet.headers.authorization).toBe(`Bearer ${afterFirst.accessToken}`);

    // The stored token is not near expiry, but X revoked it early: one 401, one refresh, one resend.
    x.failNext({
      status: 401,
      body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
    });
    const second = await reply(s.agency.client, mention.conversationId, 'And one more thing');
    expect((await waitForFinalStatus(t, second.id)).status).toBe('SENT');
    const grants = oauth.requests.slice(before);
    expect(grants.map((g) => g.form.refresh_token)).toEqual(['x-refresh-start', afterFirst.refreshToken]);
    const afterSecond = await stored(s);
    expect(afterSecond.accessToken).not.toBe(afterFirst.accessToken);
    expect(afterSecond.refreshToken).not.toBe(afterFirst.refreshToken);
    const posts = x.requests.filter((r) => r.method === 'POST' && r.url === '/2/tweets').slice(-2);
    expect(posts.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${afterFirst.accessToken}`,
      `Bearer ${afterSecond.accessToken}`,
    ]);
    expect(x.tweets.filter((tw) => tw.text === 'And one more thing')).toHaveLength(1);
    expect(await channelStatus(s)).toBe('ACTIVE');
  });

  it('ingest: a names-only review is read (reviews.get) with a refreshed token, not NEEDS_RECONNECT', async () => {
    oauth.grant('google', 'google-refresh-ingest');
    const s = await seed('GOOGLE_BUSINESS', {
      accessToken: 'google-expired-ingest',
      refreshToken: 'google-refresh-ingest',
      expiresAt: PAST,
    });
    const n = googleFixture(s, 'names-only');
    google.reviews.set(n.reviewName, { ...googleFixture(s, 'new-review').review, name: n.reviewName });
    const event = await pushNamesOnlyReview(s, n);
    expect(event.status).toBe('PROCESSED');
    const creds = await stored(s);
    const read = google.requests.filter((r) => r.method === 'GET' && r.path === `/v4/${n.reviewName}`);
    expect(read.map((r) => r.headers.authorization)).toEqual([`Bearer ${creds.accessToken}`]);
    expect(creds.accessToken).toMatch(/^google-access-\d+$/);
    const [message] = await t.ownerQuery(`SELECT external_id, rating FROM messages WHERE agency_id = $1`, [
      s.agency.agencyId,
    ]);
    expect(message).toEqual({ external_id: n.reviewName, rating: 2 });
    expect(await channelStatus(s)).toBe('ACTIVE');
  });

  it('ingest: a refreshed token Google still refuses → the event waits for a reconnect (a refresh is no reconnect)', async () => {
    oauth.grant('google', 'google-refresh-refused');
    const issued = oauth.onIssued;
    oauth.onIssued = () => undefined; // the new token is not one Google accepts either
    try {
      const s = await seed('GOOGLE_BUSINESS', {
        accessToken: 'google-expired-refused',
        refreshToken: 'google-refresh-refused',
        expiresAt: PAST,
      });
      const event = await pushNamesOnlyReview(s);
      expect(event).toEqual({ status: 'WAITING_FOR_RECONNECT', attempts: 0 });
      expect(await channelStatus(s)).toBe('NEEDS_RECONNECT');
    } finally {
      oauth.onIssued = issued;
    }
  });

  it('a refused grant (invalid_grant): channel NEEDS_RECONNECT, the reply waits, admins mailed once', async () => {
    // Never granted: the fake answers Google's invalid_grant.
    const s = await seed('GOOGLE_BUSINESS', {
      accessToken: 'google-expired-2',
      refreshToken: 'google-refresh-revoked',
      expiresAt: PAST,
    });
    const admin = await createMember(t, s.agency.agencyId, 'ADMIN');
    const { conversationId } = await seedReview(s);
    const putsBefore = google.requests.filter((r) => r.method === 'PUT').length;

    const queued = await reply(s.agency.client, conversationId, 'We are sorry');
    const outbound = await waitFor('the reply to wait for a reconnect', async () => {
      const [row] = await t.ownerQuery(`SELECT * FROM outbound_messages WHERE message_id = $1`, [queued.id]);
      return row?.status === 'WAITING_FOR_RECONNECT' ? row : null;
    });
    expect(outbound.failure_code).toBe('AUTH_EXPIRED');
    expect(outbound.failure_message).toMatch(/invalid_grant/);
    expect(await channelStatus(s)).toBe('NEEDS_RECONNECT');
    expect((await messageRow(t, queued.id)).status).toBe('QUEUED');
    // The refused token itself was never used on the platform.
    expect(google.requests.filter((r) => r.method === 'PUT')).toHaveLength(putsBefore);
    const mail = await smtp.waitFor((m) => m.to.includes(admin.email.toLowerCase()));
    expect(mail.subject).toMatch(/^Reconnect /);
    await smtp.waitFor((m) => m.to.includes(s.agency.email.toLowerCase()));
    expect(smtp.messages.filter((m) => m.to.includes(admin.email.toLowerCase()))).toHaveLength(1);
  });

  it('two concurrent refreshes of one channel: one grant; the second uses the token the first stored', async () => {
    const s = await expiredX('concurrent');
    const refresher = worker.app.get(ChannelTokenRefresher);
    const used = await stored(s);
    const before = oauth.requests.length;

    oauth.hold();
    const both = [
      refresher.refresh(s.agency.agencyId, s.channelId, Platform.X, used, 'expiring'),
      refresher.refresh(s.agency.agencyId, s.channelId, Platform.X, used, 'expiring'),
    ];
    // One grant is at the fake and the other refresh waits on the channel's row lock.
    await waitFor('one grant in flight and one refresh waiting on the lock', async () => {
      const waiting = await t.ownerQuery(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM channels%FOR NO KEY UPDATE%'`,
      );
      return oauth.requests.length === before + 1 && waiting.length === 1;
    });
    oauth.release();
    const [a, b] = await Promise.all(both);

    expect(oauth.requests.length).toBe(before + 1);
    expect(a!.accessToken).toBe(b!.accessToken);
    expect(a!.refreshToken).toBe(b!.refreshToken);
    const creds = await stored(s);
    expect(creds.accessToken).toBe(a!.accessToken);
    expect(oauth.isLive(creds.refreshToken!)).toBe(true);
  });
  it('X: the commit fails after the grant → the rotated tokens are stored on a second try, one grant, the reply SENT', async () => {
    const s = await expiredX('lost-commit');
    const mention = await seedConversation(t, s, 'MENTION');
    const commits = await failCommits(s.channelId, 1);
    const before = oauth.requests.length;

    const queued = await reply(s.agency.client, mention.conversationId, 'Thanks, stored twice');
    expect((await waitForFinalStatus(t, queued.id)).status).toBe('SENT');

    // One grant only: the dead refresh token was never presented again.
    expect(oauth.requests.slice(before).map((g) => g.form.refresh_token)).toEqual(['x-refresh-lost-commit']);
    expect(oauth.isLive('x-refresh-lost-commit')).toBe(false);
    expect(await commits()).toBe(2); // the refused commit and the second try
    // Stored within the same attempt: the send was not failed and run again for it.
    const [outbound] = await t.ownerQuery(`SELECT attempts FROM outbound_messages WHERE message_id = $1`, [
      queued.id,
    ]);
    expect(outbound.attempts).toBe(1);
    const creds = await stored(s);
    expect(oauth.isLive(creds.refreshToken!)).toBe(true);
    const tweet = x.requests.filter((r) => r.method === 'POST' && r.url === '/2/tweets').at(-1)!;
    expect(tweet.headers.authorization).toBe(`Bearer ${creds.accessToken}`);
    expect(await channelStatus(s)).toBe('ACTIVE');
    expect(worker.app.get(ChannelTokenRefresher).unsaved.size).toBe(0);
  });

  it('X: the database refuses the new tokens for longer → the refresh fails, and the next one stores them without a new grant', async () => {
    const s = await expiredX('db-away');
    const refresher = worker.app.get(ChannelTokenRefresher);
    const used = await stored(s);
    const commits = await failCommits(s.channelId, 5); // the refresh's own commit and its four retries
    const before = oauth.requests.length;

    await expect(
      refresher.refresh(s.agency.agencyId, s.channelId, Platform.X, used, 'expiring'),
    ).rejects.toThrow(/the commit is refused/);
    expect(await commits()).toBe(5);
    expect(oauth.requests.length).toBe(before + 1);
    expect(oauth.isLive('x-refresh-db-away')).toBe(false);
    expect((await stored(s)).refreshToken).toBe('x-refresh-db-away'); // nothing half-written

    // The database is back: the next refresh stores what X granted instead of presenting the dead token.
    const fresh = await refresher.refresh(s.agency.agencyId, s.channelId, Platform.X, used, 'expiring');
    expect(oauth.requests.length).toBe(before + 1);
    expect(fresh!.accessToken).not.toBe('x-expired-db-away');
    expect(oauth.isLive(fresh!.refreshToken!)).toBe(true);
    expect(await stored(s)).toEqual(fresh);
    expect(refresher.unsaved.size).toBe(0);
    expect(await channelStatus(s)).toBe('ACTIVE');
  });
});
