import { createMember } from '../support/members';
import { crossTenant } from '../support/cross-tenant';
import {
  CONVERSATION_EVENTS,
  eventsOf,
  openSocket,
  seedBrand,
  Socket,
  untilListening,
} from '../live/live-support';
import { LiveEvents } from '@caredesk/inbox';
import {
  markWaiting,
  MODERATE,
  OutboundStack,
  reply,
  seedAgency,
  seedConversation,
  Seeded,
  startOutboundStack,
  waitForFinalStatus,
} from './outbound-support';

/**
 * What a send's outcome changes beyond the message row: a failed reply answered nothing, so the
 * conversation waits again; dashboards are told the message's new status live.
 */
describe('a send outcome', () => {
  let s: OutboundStack;
  let a: Seeded;
  let live: LiveEvents;
  const sockets: Socket[] = [];
  const subscribe = (token: string) => {
    const socket = openSocket(s.t.baseUrl, token);
    sockets.push(socket);
    return socket.subscribe(CONVERSATION_EVENTS);
  };

  beforeAll(async () => {
    s = await startOutboundStack({ LIVE_SCOPE_CACHE_SECONDS: '0' });
    a = await seedAgency(s.t);
    live = s.t.app.get(LiveEvents);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((x) => x.client.dispose()));
    await s?.close();
  });

  /** A conversation waiting since its customer message, as ingest leaves it. */
  const waiting = async (kind: 'COMMENT' | 'DM' = 'COMMENT') => {
    const c = await seedConversation(s.t, a, kind);
    return { ...c, since: await markWaiting(s.t, c) };
  };
  const conversation = async (id: string) =>
    (await s.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [id]))[0];

  it('a reply that fails: the conversation waits again from the customer message, and subscribers are told', async () => {
    const c = await waiting();
    const sub = subscribe(a.agency.token);
    await untilListening(live, sub, a.agency.agencyId, a.brandId);
    s.fake.script({ status: 400 });
    const queued = await reply(a.agency.client, c.conversationId, 'This one is rejected');
    expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('FAILED');

    expect((await conversation(c.conversationId)).awaiting_reply_since).toEqual(c.since);
    await sub.until((i) => i.conversationEvents.change === 'WAITING');
    const events = eventsOf(sub).filter((e) => e.conversationId === c.conversationId);
    expect(events).toEqual(
      expect.arrayContaining([
        {
          type: 'MESSAGE_UPDATED',
          conversationId: c.conversationId,
          brandId: a.brandId,
          messageId: queued.id,
          change: 'SEND_STATUS',
        },
        {
          type: 'CONVERSATION_CHANGED',
          conversationId: c.conversationId,
          brandId: a.brandId,
          messageId: null,
          change: 'WAITING',
        },
      ]),
    );
  });

  it('a reply that is sent: the wait stays ended and subscribers see the new status', async () => {
    const c = await waiting();
    const sub = subscribe(a.agency.token);
    await untilListening(live, sub, a.agency.agencyId, a.brandId);
    const queued = await reply(a.agency.client, c.conversationId, 'Sorted!');
    expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('SENT');
    await sub.until(
      (i) => i.conversationEvents.messageId === queued.id && i.conversationEvents.type === 'MESSAGE_UPDATED',
    );
    expect((await conversation(c.conversationId)).awaiting_reply_since).toBeNull();
    expect(eventsOf(sub).some((e) => e.change === 'WAITING')).toBe(false);
  });

  it('an earlier reply that was sent still answers the customer when a later one fails', async () => {
    const c = await waiting();
    const first = await reply(a.agency.client, c.conversationId, 'Looking into it');
    expect((await waitForFinalStatus(s.t, first.id)).status).toBe('SENT');
    s.fake.script({ status: 400 });
    const second = await reply(a.agency.client, c.conversationId, 'Rejected follow-up');
    expect((await waitForFinalStatus(s.t, second.id)).status).toBe('FAILED');
    expect((await conversation(c.conversationId)).awaiting_reply_since).toBeNull();
  });

  it('a resolved conversation, or one marked "no reply needed", does not wait again', async () => {
    for (const mark of [
      `status = 'RESOLVED'`,
      `no_reply_needed_reason = 'SPAM', no_reply_needed_at = now()`,
    ]) {
      const c = await waiting();
      await s.t.ownerQuery(`UPDATE conversations SET ${mark}, awaiting_reply_since = NULL WHERE id = $1`, [
        c.conversationId,
      ]);
      s.fake.script({ status: 400 });
      const queued = await reply(a.agency.client, c.conversationId, 'Rejected');
      expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('FAILED');
      expect((await conversation(c.conversationId)).awaiting_reply_since).toBeNull();
    }
  });

  it('a moderation done on the platform is told as MESSAGE_UPDATED MODERATION', async () => {
    const c = await seedConversation(s.t, a, 'COMMENT');
    const sub = subscribe(a.agency.token);
    await untilListening(live, sub, a.agency.agencyId, a.brandId);
    await a.agency.client.ok(MODERATE, { input: { messageId: c.messageId, action: 'HIDE' } });
    await sub.until((i) => i.conversationEvents.change === 'MODERATION');
    expect(eventsOf(sub).filter((e) => e.type === 'MESSAGE_UPDATED')).toEqual([
      {
        type: 'MESSAGE_UPDATED',
        conversationId: c.conversationId,
        brandId: a.brandId,
        messageId: c.messageId,
        change: 'MODERATION',
      },
    ]);
  });

  describe(crossTenant('send outcome events'), () => {
    it('another agency, or an agent of another brand, is not told', async () => {
      const other = await seedAgency(s.t);
      const otherBrand = await seedBrand(s.t, a.agency);
      const otherBrandAgent = await createMember(s.t, a.agency.agencyId, 'AGENT', [otherBrand.brandId]);
      const outsiders = [subscribe(other.agency.token), subscribe(otherBrandAgent.token)];
      const insider = subscribe(a.agency.token);
      await untilListening(live, outsiders[0], other.agency.agencyId, other.brandId);
      await untilListening(live, outsiders[1], a.agency.agencyId, otherBrand.brandId);
      await untilListening(live, insider, a.agency.agencyId, a.brandId);
      const c = await waiting();
      s.fake.script({ status: 400 });
      const queued = await reply(a.agency.client, c.conversationId, 'Rejected');
      expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('FAILED');
      await insider.until((i) => i.conversationEvents.change === 'WAITING');
      for (const o of outsiders) {
        expect(eventsOf(o).filter((e) => e.conversationId === c.conversationId)).toEqual([]);
      }
    });
  });
});
