import { randomUUID } from 'node:crypto';
import { LiveEvents } from '@caredesk/inbox';
import { createMember } from '../support/members';
import { crossTenant } from '../support/cross-tenant';
import { startTestApp, TestApp } from '../support/test-app';
import { reply, seedAgency, seedConversation, Seeded } from '../outbound/outbound-support';
import {
  CONVERSATION_EVENTS,
  CONVERSATION_PRESENCE,
  eventsOf,
  openSocket,
  seedBrand,
  SET_PRESENCE,
  Socket,
  startSecondApi,
  untilListening,
} from './live-support';

/**
 * conversationEvents over graphql-ws with two API processes sharing Redis: what one process
 * publishes (a reply, the worker's LiveEvents) reaches subscribers connected to the other, and only
 * those who may see the brand.
 */
describe('live conversation events', () => {
  let a: TestApp;
  let b: Awaited<ReturnType<typeof startSecondApi>>;
  let liveB: LiveEvents;
  let acme: Seeded;
  let acmeOther: Seeded;
  let globex: Seeded;
  const sockets: Socket[] = [];
  const open = (baseUrl: string, token: string | null) => {
    const s = openSocket(baseUrl, token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    a = await startTestApp({ LIVE_SCOPE_CACHE_SECONDS: '0' });
    b = await startSecondApi();
    liveB = b.app.get(LiveEvents);
    acme = await seedAgency(a);
    acmeOther = await seedBrand(a, acme.agency);
    globex = await seedAgency(a);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.client.dispose()));
    await b?.close();
    await a?.close();
  });

  it('a reply through API B reaches a subscriber on API A: MESSAGE_CREATED, then CONVERSATION_CHANGED', async () => {
    const c = await seedConversation(a, acme, 'COMMENT');
    const sub = open(a.baseUrl, acme.agency.token).subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, sub, acme.agency.agencyId, acme.brandId);

    const queued = await reply(b.gql.as(acme.agency.token), c.conversationId, 'On its way!');
    await sub.until((i) => i.conversationEvents.change === 'LAST_MESSAGE');
    expect(eventsOf(sub)).toEqual([
      {
        type: 'MESSAGE_CREATED',
        conversationId: c.conversationId,
        brandId: acme.brandId,
        messageId: queued.id,
        change: null,
      },
      {
        type: 'CONVERSATION_CHANGED',
        conversationId: c.conversationId,
        brandId: acme.brandId,
        messageId: null,
        change: 'LAST_MESSAGE',
      },
    ]);
  });

  it('an event the worker publishes through API B reaches A; brandIds narrows the brands', async () => {
    const sub = open(a.baseUrl, acme.agency.token).subscribe(CONVERSATION_EVENTS, {
      brandIds: [acmeOther.brandId],
    });
    await untilListening(liveB, sub, acme.agency.agencyId, acmeOther.brandId);
    const [left, right] = [randomUUID(), randomUUID()];
    await liveB.messageCreated(acme.agency.agencyId, {
      brandId: acme.brandId,
      conversationId: left,
      messageId: left,
    });
    await liveB.messageCreated(acme.agency.agencyId, {
      brandId: acmeOther.brandId,
      conversationId: right,
      messageId: right,
    });
    await sub.until((i) => i.conversationEvents.conversationId === right);
    expect(eventsOf(sub).map((e) => e.conversationId)).toEqual([right]);
  });

  it('a batch published as arrays (LiveEvents.many, an ingest batch) arrives event by event, in order, filtered by scope', async () => {
    const agent = await createMember(a, acme.agency.agencyId, 'AGENT', [acmeOther.brandId]);
    const sub = open(a.baseUrl, agent.token).subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, sub, acme.agency.agencyId, acmeOther.brandId);
    // More than one PUBLISH's worth, alternating a brand the agent may see and one it may not.
    const batch = Array.from({ length: LiveEvents.MAX_PER_PUBLISH + 101 }, (_, i) => ({
      kind: 'CONVERSATION_CHANGED' as const,
      brandId: i % 2 ? acmeOther.brandId : acme.brandId,
      conversationId: randomUUID(),
      change: 'LAST_MESSAGE',
    }));
    await liveB.many(acme.agency.agencyId, batch);
    const shown = batch.filter((e) => e.brandId === acmeOther.brandId).map((e) => e.conversationId);
    await sub.until((i) => i.conversationEvents.conversationId === shown[shown.length - 1]);
    expect(eventsOf(sub).map((e) => e.conversationId)).toEqual(shown);
  });

  it('a burst of two full ingest batches reaches a subscriber whole and in order; a presence stream beside it stays open', async () => {
    const c = await seedConversation(a, acme);
    const socket = open(a.baseUrl, acme.agency.token);
    const presence = socket.subscribe(CONVERSATION_PRESENCE, { id: c.conversationId });
    await presence.until(1);
    const sub = socket.subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, sub, acme.agency.agencyId, acme.brandId);
    // Two batches of 1,000 messages each publish 2,000 events at once (a message and a conversation
    // event per message); Redis hands them over faster than the socket sends them.
    const burst = Array.from({ length: 4_400 }, (_, i) => ({
      kind: 'CONVERSATION_CHANGED' as const,
      brandId: acme.brandId,
      conversationId: randomUUID(),
      change: `burst-${i}`,
    }));
    await Promise.all([
      liveB.many(acme.agency.agencyId, burst.slice(0, 2_200)),
      liveB.many(acme.agency.agencyId, burst.slice(2_200)),
    ]);
    await sub.until((i) => i.conversationEvents.change === 'burst-4399', 30_000);
    const received = eventsOf(sub).filter((e) => e.change?.startsWith('burst-'));
    expect(received.map((e) => e.change)).toEqual(burst.map((e) => e.change));

    await a.gql.as(acme.agency.token).ok(SET_PRESENCE, { id: c.conversationId, state: 'VIEWING' });
    await presence.until(2);
    expect(presence.errors).toBeUndefined();
    expect(presence.completed).toBe(false);
  });

  it("a subscriber of another agency never receives this agency's events", async () => {
    const sub = open(b.gql.baseUrl, globex.agency.token).subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, sub, globex.agency.agencyId, globex.brandId);
    const marker = randomUUID();
    // Acme's event first; Globex's marker after it on the same Redis connection: once the marker is
    // here, Acme's event would have been too.
    await liveB.messageCreated(acme.agency.agencyId, {
      brandId: acme.brandId,
      conversationId: randomUUID(),
      messageId: randomUUID(),
    });
    await liveB.conversationChanged(globex.agency.agencyId, {
      brandId: globex.brandId,
      conversationId: marker,
      change: 'STATUS',
    });
    await sub.until((i) => i.conversationEvents.conversationId === marker);
    expect(eventsOf(sub)).toEqual([
      {
        type: 'CONVERSATION_CHANGED',
        conversationId: marker,
        brandId: globex.brandId,
        messageId: null,
        change: 'STATUS',
      },
    ]);
  });

  it("an agent scoped to one brand never receives another brand's events, and stops when the scope shrinks", async () => {
    const agent = await createMember(a, acme.agency.agencyId, 'AGENT', [acme.brandId, acmeOther.brandId]);
    const sub = open(a.baseUrl, agent.token).subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, sub, acme.agency.agencyId, acmeOther.brandId);
    const outOfScope = await seedBrand(a, acme.agency);
    const [hidden, shown] = [randomUUID(), randomUUID()];
    await liveB.conversationChanged(acme.agency.agencyId, {
      brandId: outOfScope.brandId,
      conversationId: hidden,
      change: 'STATUS',
    });
    await liveB.conversationChanged(acme.agency.agencyId, {
      brandId: acme.brandId,
      conversationId: shown,
      change: 'STATUS',
    });
    await sub.until((i) => i.conversationEvents.conversationId === shown);
    expect(eventsOf(sub).map((e) => e.conversationId)).toEqual([shown]);

    // Taken off Acme's first brand while subscribed: its events stop (LIVE_SCOPE_CACHE_SECONDS=0 here).
    await a.ownerQuery(`DELETE FROM membership_brands WHERE membership_id = $1 AND brand_id = $2`, [
      agent.membershipId,
      acme.brandId,
    ]);
    const [nowHidden, marker] = [randomUUID(), randomUUID()];
    await liveB.conversationChanged(acme.agency.agencyId, {
      brandId: acme.brandId,
      conversationId: nowHidden,
      change: 'STATUS',
    });
    await liveB.conversationChanged(acme.agency.agencyId, {
      brandId: acmeOther.brandId,
      conversationId: marker,
      change: 'STATUS',
    });
    await sub.until((i) => i.conversationEvents.conversationId === marker);
    expect(eventsOf(sub).map((e) => e.conversationId)).toEqual([shown, marker]);
  });

  it('a member removed while subscribed gets UNAUTHENTICATED and nothing more', async () => {
    const agent = await createMember(a, acme.agency.agencyId, 'AGENT');
    const sub = open(a.baseUrl, agent.token).subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, sub, acme.agency.agencyId, acme.brandId);
    await a.ownerQuery(`DELETE FROM memberships WHERE id = $1`, [agent.membershipId]);
    const secret = randomUUID();
    await liveB.messageCreated(acme.agency.agencyId, {
      brandId: acme.brandId,
      conversationId: secret,
      messageId: secret,
    });
    const errors = await sub.failure();
    expect(errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(eventsOf(sub).map((e) => e.conversationId)).not.toContain(secret);
  });

  it('a CLIENT_VIEWER may not subscribe (FORBIDDEN)', async () => {
    const viewer = await createMember(a, acme.agency.agencyId, 'CLIENT_VIEWER', [acme.brandId]);
    const sub = open(a.baseUrl, viewer.token).subscribe(CONVERSATION_EVENTS);
    expect((await sub.failure())[0].extensions.code).toBe('FORBIDDEN');
  });

  it('an API key (AGENT, scoped) subscribes like a member', async () => {
    const { createApiKey } = await acme.agency.client.ok(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'wallboard', role: 'AGENT', brandIds: [acmeOther.brandId] } },
    );
    const sub = open(a.baseUrl, createApiKey.secret).subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, sub, acme.agency.agencyId, acmeOther.brandId);
    const [hidden, shown] = [randomUUID(), randomUUID()];
    await liveB.conversationChanged(acme.agency.agencyId, {
      brandId: acme.brandId,
      conversationId: hidden,
      change: 'TAGS',
    });
    await liveB.conversationChanged(acme.agency.agencyId, {
      brandId: acmeOther.brandId,
      conversationId: shown,
      change: 'TAGS',
    });
    await sub.until((i) => i.conversationEvents.conversationId === shown);
    expect(eventsOf(sub).map((e) => e.conversationId)).toEqual([shown]);
  });

  describe('connection_init', () => {
    it.each([
      ['no token', null],
      ['a malformed token', 'not-a-jwt'],
      ['a token signed with another secret', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      ['a revoked-looking API key', 'cdk_0000000000000000_nope'],
    ])('%s → the socket is closed with 4401', async (_what, token) => {
      const s = open(a.baseUrl, token);
      const sub = s.subscribe(CONVERSATION_EVENTS);
      expect(await s.closed).toEqual({ code: 4401, reason: expect.stringMatching(/^Unauthorized/) });
      expect(sub.items).toEqual([]);
    });

    it('an agency that requires two-factor sign-in refuses a token without it (4403)', async () => {
      const strict = await seedAgency(a);
      await a.ownerQuery(`UPDATE agencies SET require_two_factor = true WHERE id = $1`, [
        strict.agency.agencyId,
      ]);
      const s = open(a.baseUrl, strict.agency.token);
      s.subscribe(CONVERSATION_EVENTS);
      expect((await s.closed).code).toBe(4403);
    });
  });

  describe('operations on the socket get the HTTP limits and error codes', () => {
    it('a syntax error or too many directives is BAD_USER_INPUT and the socket stays open', async () => {
      const s = open(a.baseUrl, acme.agency.token);
      expect((await s.subscribe('subscription { conversationEvents {').failure())[0].extensions.code).toBe(
        'BAD_USER_INPUT',
      );
      const directives = Array.from({ length: 51 }, () => `__typename @include(if: true)`).join(' ');
      const refused = await s.run(`query { ${directives} }`);
      expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/directive/i) });
      expect(refused.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const { errors } = await s.run(
        `query { presence(conversationId: "${randomUUID()}") { entries { userId } } }`,
      );
      expect(errors?.[0].extensions.code).toBe('NOT_FOUND');
    });
  });

  it('a socket runs at most 50 subscriptions (RATE_LIMITED beyond); completing one frees a slot', async () => {
    const s = open(a.baseUrl, acme.agency.token);
    const subs = Array.from({ length: 50 }, () => s.subscribe(CONVERSATION_EVENTS));
    // Each one live (they are set up concurrently: the last asked need not be the last listening).
    for (const sub of subs) await untilListening(liveB, sub, acme.agency.agencyId, acme.brandId);
    expect((await s.subscribe(CONVERSATION_EVENTS).failure())[0].extensions.code).toBe('RATE_LIMITED');
    subs[0].stop();
    const again = s.subscribe(CONVERSATION_EVENTS);
    await untilListening(liveB, again, acme.agency.agencyId, acme.brandId);
  });

  describe(crossTenant('conversationEvents'), () => {
    it("another agency's brand in brandIds → NOT_FOUND", async () => {
      const sub = open(a.baseUrl, acme.agency.token).subscribe(CONVERSATION_EVENTS, {
        brandIds: [globex.brandId],
      });
      expect((await sub.failure())[0].extensions.code).toBe('NOT_FOUND');
    });

    it('a brand outside the agent’s scope → NOT_FOUND, like an unknown id', async () => {
      const agent = await createMember(a, acme.agency.agencyId, 'AGENT', [acmeOther.brandId]);
      const s = open(a.baseUrl, agent.token);
      for (const brandIds of [[acme.brandId], [randomUUID()], ['not-a-uuid']]) {
        expect((await s.subscribe(CONVERSATION_EVENTS, { brandIds }).failure())[0].extensions.code).toBe(
          'NOT_FOUND',
        );
      }
    });

    it('an empty brandIds matches nothing, like the conversations query; the stream stays open', async () => {
      const none = open(a.baseUrl, acme.agency.token).subscribe(CONVERSATION_EVENTS, { brandIds: [] });
      const all = open(a.baseUrl, acme.agency.token).subscribe(CONVERSATION_EVENTS);
      await untilListening(liveB, all, acme.agency.agencyId, acme.brandId);
      const id = randomUUID();
      await liveB.messageCreated(acme.agency.agencyId, {
        brandId: acme.brandId,
        conversationId: id,
        messageId: id,
      });
      await all.until((i) => i.conversationEvents.conversationId === id);
      expect(none.items).toEqual([]);
      expect(none.errors).toBeUndefined();
      expect(none.completed).toBe(false);
    });
  });
});
