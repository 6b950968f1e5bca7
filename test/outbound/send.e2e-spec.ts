import { Job } from 'bull';
import { DISCONNECT, RECONNECT } from '../channels/channel-helpers';
import { createMember } from '../support/members';
import { OutboxService, sendBackoffMs } from '@caredesk/channels';
import { SendProcessor } from '../../libs/channels/src/outbox/send.processor';
import {
  markWaiting,
  messageRow,
  OutboundStack,
  reply,
  seedAgency,
  seedConversation,
  Seeded,
  startOutboundStack,
  waitFor,
  waitForFinalStatus,
  withNewCustomer,
} from './outbound-support';

/** The send worker against a fake platform over real HTTP: retries, Retry-After, timeouts, tokens. */
describe('send worker', () => {
  let s: OutboundStack;
  let a: Seeded;

  beforeAll(async () => {
    s = await startOutboundStack();
    a = await seedAgency(s.t);
  });
  afterAll(() => s?.close());
  beforeEach(() => {
    s.fake.requests.length = 0;
  });

  const messagePosts = () => s.fake.posts(/\/messages$/);
  const outboundOf = async (messageId: string) =>
    (await s.t.ownerQuery(`SELECT * FROM outbound_messages WHERE message_id = $1`, [messageId]))[0];

  /**
   * A reply on a fresh agency whose channel NEEDS_RECONNECT, once it is parked (no job is left for it).
   * The conversation waits for a reply beforehand, as ingest leaves it.
   */
  const parkedReply = async (body: string) => {
    const b = await seedAgency(s.t);
    await s.t.ownerQuery(`UPDATE channels SET status = 'NEEDS_RECONNECT' WHERE id = $1`, [b.channelId]);
    const c = await seedConversation(s.t, b);
    const since = await markWaiting(s.t, c);
    const queued = await reply(b.agency.client, c.conversationId, body);
    const out = await waitFor('the send to wait', async () => {
      const row = await outboundOf(queued.id);
      return row?.status === 'WAITING_FOR_RECONNECT' ? row : null;
    });
    return { b, c, since, queued, out };
  };

  it('sends a public comment reply once and records the platform id', async () => {
    const c = await seedConversation(s.t, a, 'COMMENT');
    const queued = await reply(a.agency.client, c.conversationId, 'Sorry to hear that — we are on it.');
    expect(queued).toMatchObject({
      direction: 'OUTBOUND',
      visibility: 'PUBLIC',
      status: 'QUEUED',
      externalId: null,
    });

    const sent = await waitForFinalStatus(s.t, queued.id);
    expect(sent.status).toBe('SENT');
    expect(messagePosts()).toHaveLength(1);
    const [post] = messagePosts();
    expect(post.path).toBe(`/v1/${a.accountId}/messages`);
    expect(post.headers.authorization).toMatch(/^Bearer EAAG-secret-/);
    expect(post.body).toMatchObject({
      action: 'REPLY',
      text: 'Sorry to hear that — we are on it.',
      target: c.externalId,
      recipient_id: a.authorId,
    });
    expect(sent.external_id).toBe(s.fake.created.get(post.body.idempotency_key)!.id);
    expect(sent.author_user_id).toBe(a.agency.userId);
    expect(sent.parent_external_id).toBe(c.externalId);
    const out = await outboundOf(queued.id);
    expect(out).toMatchObject({
      status: 'SENT',
      attempts: 1,
      external_id: sent.external_id,
      action: 'REPLY',
    });
    expect(out.sent_at).not.toBeNull();
  });

  it('answers a DM with a direct message to the customer', async () => {
    const dana = await withNewCustomer(s.t, a);
    const c = await seedConversation(s.t, dana, 'DM');
    const queued = await reply(a.agency.client, c.conversationId, 'Could you send us your order number?');
    expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('SENT');
    expect(messagePosts()[0].body).toMatchObject({ action: 'DIRECT_MESSAGE', recipient_id: dana.authorId });
  });

  it("retries 500, 500 with bull's exponential backoff (1 s, then 3 s), then sends exactly once", async () => {
    s.fake.script({ status: 500 }, { status: 500 });
    const c = await seedConversation(s.t, a);
    const queued = await reply(a.agency.client, c.conversationId, 'Retry me');
    const sent = await waitForFinalStatus(s.t, queued.id);
    expect(sent.status).toBe('SENT');
    expect(messagePosts()).toHaveLength(3);
    const [first, second, third] = messagePosts().map((r) => r.at);
    expect(second - first).toBeGreaterThanOrEqual(sendBackoffMs(1));
    expect(third - second).toBeGreaterThanOrEqual(sendBackoffMs(2));
    const keys = new Set(messagePosts().map((r) => r.body.idempotency_key));
    expect(keys.size).toBe(1);
    expect([...s.fake.created.values()].filter((m) => m.body.text === 'Retry me')).toHaveLength(1);
    expect(await outboundOf(queued.id)).toMatchObject({ status: 'SENT', attempts: 3 });
  });

  it('honours 429 Retry-After: the retry comes no sooner than 2 s later, then sends once', async () => {
    s.fake.script({ status: 429, headers: { 'retry-after': '2' } });
    const c = await seedConversation(s.t, a);
    const queued = await reply(a.agency.client, c.conversationId, 'Rate limited');
    expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('SENT');
    const posts = messagePosts();
    expect(posts).toHaveLength(2);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(2000);
    expect(await outboundOf(queued.id)).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('after a timeout (the platform accepted the send) reconciles instead of sending again', async () => {
    s.fake.script({ hang: true });
    const c = await seedConversation(s.t, a);
    const queued = await reply(a.agency.client, c.conversationId, 'Lost answer');
    const sent = await waitForFinalStatus(s.t, queued.id);
    expect(sent.status).toBe('SENT');
    expect(messagePosts()).toHaveLength(1);
    const key = messagePosts()[0].body.idempotency_key;
    expect(sent.external_id).toBe(s.fake.created.get(key)!.id);
    // The retry asked the platform for what the first call created.
    expect(s.fake.requests.some((r) => r.method === 'GET' && r.path === `/v1/${a.accountId}/messages`)).toBe(
      true,
    );
  });

  it('a 4xx fails the reply with a coded reason and is not retried', async () => {
    s.fake.script({ status: 400 });
    const c = await seedConversation(s.t, a);
    const queued = await reply(a.agency.client, c.conversationId, 'Rejected');
    const failed = await waitForFinalStatus(s.t, queued.id);
    expect(failed).toMatchObject({ status: 'FAILED', failure_code: 'PLATFORM_REJECTED', external_id: null });
    expect(failed.failure_message).toContain('Invalid parameter');
    expect(await outboundOf(queued.id)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(messagePosts()).toHaveLength(1);
  });

  it('a job run again after SENT (its worker died after success) sends nothing', async () => {
    const c = await seedConversation(s.t, a);
    const queued = await reply(a.agency.client, c.conversationId, 'Only once');
    await waitForFinalStatus(s.t, queued.id);
    const out = await outboundOf(queued.id);
    const before = s.fake.requests.length;
    await s.worker.app
      .get(SendProcessor)
      .handle({ data: { agencyId: a.agency.agencyId, outboundId: out.id }, attemptsMade: 0 } as Job);
    expect(s.fake.requests.length).toBe(before);
    expect(await outboundOf(queued.id)).toMatchObject({ status: 'SENT', attempts: 1 });
  });

  it('an expired token: channel NEEDS_RECONNECT, replies wait, admins mailed once; reconnecting sends them', async () => {
    const b = await seedAgency(s.t);
    const admin = await createMember(s.t, b.agency.agencyId, 'ADMIN');
    const agent = await createMember(s.t, b.agency.agencyId, 'AGENT');
    const c = await seedConversation(s.t, b);
    s.fake.script({ status: 401 });
    const first = await reply(b.agency.client, c.conversationId, 'First while expired');
    await waitFor('the channel to need reconnecting', async () => {
      const [ch] = await s.t.ownerQuery(`SELECT status FROM channels WHERE id = $1`, [b.channelId]);
      return ch.status === 'NEEDS_RECONNECT';
    });
    const second = await reply(agent.client, c.conversationId, 'Second while expired');
    await waitFor('both replies to wait', async () => {
      const rows = await s.t.ownerQuery(`SELECT status FROM outbound_messages WHERE message_id = ANY($1)`, [
        [first.id, second.id],
      ]);
      return rows.length === 2 && rows.every((r) => r.status === 'WAITING_FOR_RECONNECT');
    });
    expect((await messageRow(s.t, first.id)).status).toBe('QUEUED');
    expect(messagePosts()).toHaveLength(1);

    const ownerMail = await s.smtp.waitFor((m) => m.to.includes(b.agency.email.toLowerCase()));
    await s.smtp.waitFor((m) => m.to.includes(admin.email.toLowerCase()));
    expect(ownerMail.subject).toMatch(/Reconnect/);
    expect(ownerMail.text).toContain(`/channels/${b.channelId}`);
    const mailsTo = (email: string) => s.smtp.messages.filter((m) => m.to.includes(email.toLowerCase()));
    expect(mailsTo(b.agency.email)).toHaveLength(1);
    expect(mailsTo(admin.email)).toHaveLength(1);
    expect(mailsTo(agent.email)).toHaveLength(0);

    await b.agency.client.ok(RECONNECT, {
      input: { id: b.channelId, credentials: { accessToken: 'EAAG-fresh-token' } },
    });
    expect((await waitForFinalStatus(s.t, first.id)).status).toBe('SENT');
    expect((await waitForFinalStatus(s.t, second.id)).status).toBe('SENT');
    const sends = messagePosts().slice(1);
    expect(sends).toHaveLength(2);
    expect(sends.every((r) => r.headers.authorization === 'Bearer EAAG-fresh-token')).toBe(true);
  });

  it('the sweeper re-enqueues a committed send whose job was lost', async () => {
    const c = await seedConversation(s.t, a);
    const queued = await reply(a.agency.client, c.conversationId, 'Lost job');
    await waitForFinalStatus(s.t, queued.id);
    // Simulate a lost job: the row back to QUEUED, old enough for the sweeper, and no job in Redis.
    await s.t.ownerQuery(
      `UPDATE outbound_messages SET status = 'QUEUED', external_id = NULL, sent_at = NULL,
              next_attempt_at = now() - interval '1 hour', updated_at = now() - interval '1 hour'
        WHERE message_id = $1`,
      [queued.id],
    );
    await s.t.ownerQuery(`UPDATE messages SET status = 'QUEUED', external_id = NULL WHERE id = $1`, [
      queued.id,
    ]);
    const { OutboundSweeper } = await import('@caredesk/channels');
    expect(await s.worker.app.get(OutboundSweeper).sweepOnce()).toBeGreaterThanOrEqual(1);
    expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('SENT');
    // The retry reconciled (attempts > 0) and found the first send: still one message on the platform.
    expect(messagePosts()).toHaveLength(1);
  });

  describe('a queued reply whose channel is gone → FAILED CHANNEL_UNAVAILABLE, not QUEUED forever', () => {
    /** A reply parked (channel NEEDS_RECONNECT, so no job is left), then `breakChannel`, then the job run. */
    const sendAfter = async (breakChannel: (b: Seeded) => Promise<void>) => {
      const { b, queued, out } = await parkedReply('Nobody can send me');
      await breakChannel(b);
      await s.t.ownerQuery(`UPDATE outbound_messages SET status = 'QUEUED' WHERE id = $1`, [out.id]);
      await s.worker.app
        .get(SendProcessor)
        .handle({ data: { agencyId: b.agency.agencyId, outboundId: out.id }, attemptsMade: 0 } as Job);
      expect(s.fake.requests).toHaveLength(0);
      expect(await outboundOf(queued.id)).toMatchObject({
        status: 'FAILED',
        failure_code: 'CHANNEL_UNAVAILABLE',
      });
      return messageRow(s.t, queued.id);
    };

    it('the channel was disconnected', async () => {
      const m = await sendAfter(async (b) => {
        await s.t.ownerQuery(
          `UPDATE channels SET status = 'DISCONNECTED', credentials_sealed = '', disconnected_at = now() WHERE id = $1`,
          [b.channelId],
        );
      });
      expect(m).toMatchObject({ status: 'FAILED', failure_code: 'CHANNEL_UNAVAILABLE', external_id: null });
      expect(m.failure_message).toMatch(/disconnected/);
    });

    it("the channel's credentials do not decrypt (another channel's ciphertext)", async () => {
      const m = await sendAfter(async (b) => {
        await s.t.ownerQuery(
          `UPDATE channels SET status = 'ACTIVE',
                  credentials_sealed = (SELECT credentials_sealed FROM channels WHERE id = $2)
            WHERE id = $1`,
          [b.channelId, a.channelId],
        );
      });
      expect(m).toMatchObject({ status: 'FAILED', failure_code: 'CHANNEL_UNAVAILABLE', external_id: null });
      expect(m.failure_message).toMatch(/cannot be opened/);
    });
  });

  it('disconnecting a channel fails the sends that waited for a reconnect; reconnecting later sends nothing stale', async () => {
    // The parked reply ended the conversation's wait.
    const { b, c, since, queued: parked } = await parkedReply('Waiting for the token');

    await b.agency.client.ok(DISCONNECT, { id: b.channelId });
    expect(await outboundOf(parked.id)).toMatchObject({
      status: 'FAILED',
      failure_code: 'CHANNEL_UNAVAILABLE',
    });
    const m = await messageRow(s.t, parked.id);
    expect(m).toMatchObject({ status: 'FAILED', failure_code: 'CHANNEL_UNAVAILABLE' });
    expect(m.failure_message).toMatch(/disconnected/);
    const [conv] = await s.t.ownerQuery(`SELECT awaiting_reply_since FROM conversations WHERE id = $1`, [
      c.conversationId,
    ]);
    expect(conv.awaiting_reply_since).toEqual(since);

    await b.agency.client.ok(RECONNECT, {
      input: { id: b.channelId, credentials: { accessToken: 'EAAG-new' } },
    });
    // Not queued again (resumeChannel takes WAITING_FOR_RECONNECT rows only).
    expect(await outboundOf(parked.id)).toMatchObject({ status: 'FAILED' });
  });

  it('Channel.waiting counts what waits for the reconnect (replies, inbound events); reconnecting empties it', async () => {
    const { b, queued } = await parkedReply('Counted while we wait');
    await s.t.ownerQuery(
      `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload, status, attempts, last_error)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, 'waiting-' || gen_random_uuid(), '{}', 'WAITING_FOR_RECONNECT', 0, 'AUTH_EXPIRED')`,
      [b.agency.agencyId, b.brandId, b.channelId, b.platform],
    );
    const WAITING = `query($brandId: ID!) { channels(brandId: $brandId) { id status waiting { replies inboundEvents } } }`;
    expect((await b.agency.client.ok(WAITING, { brandId: b.brandId })).channels).toEqual([
      { id: b.channelId, status: 'NEEDS_RECONNECT', waiting: { replies: 1, inboundEvents: 1 } },
    ]);
    // Another agency's channel counts only its own rows.
    expect((await a.agency.client.ok(WAITING, { brandId: a.brandId })).channels).toEqual([
      expect.objectContaining({ id: a.channelId, waiting: { replies: 0, inboundEvents: 0 } }),
    ]);

    await b.agency.client.ok(RECONNECT, {
      input: { id: b.channelId, credentials: { accessToken: 'EAAG-again' } },
    });
    expect((await b.agency.client.ok(WAITING, { brandId: b.brandId })).channels[0]).toMatchObject({
      status: 'ACTIVE',
      waiting: { replies: 0, inboundEvents: 0 },
    });
    expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('SENT');
  });

  it("a send on a channel that cannot send waits; the platform's echo confirms it without a send", async () => {
    const { b, queued, out } = await parkedReply('Echoed');
    expect(s.fake.requests).toHaveLength(0);

    const outbox = s.worker.app.get(OutboxService);
    expect(await outbox.confirmFromEcho(b.agency.agencyId, out.id, 'm_echo_1')).toBe(true);
    expect(await outbox.confirmFromEcho(b.agency.agencyId, out.id, 'm_echo_1')).toBe(false);
    expect(await messageRow(s.t, queued.id)).toMatchObject({ status: 'SENT', external_id: 'm_echo_1' });
    expect(await outboundOf(queued.id)).toMatchObject({
      status: 'SENT',
      external_id: 'm_echo_1',
      attempts: 0,
    });
  });
});
