import { randomUUID } from 'node:crypto';
import { crossTenant } from '../support/cross-tenant';
import { createMember, Member } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import { seedAgency, seedConversation, Seeded } from '../outbound/outbound-support';
import {
  CONVERSATION_PRESENCE,
  openSocket,
  PRESENCE,
  Received,
  seedBrand,
  SET_PRESENCE,
  Socket,
  startSecondApi,
} from './live-support';

const TTL_SECONDS = 2;

/** The list a presence subscription received last. */
const latest = (r: Received) => r.items[r.items.length - 1].conversationPresence.entries;
const states = (r: Received) => latest(r).map((e: any) => `${e.userId}:${e.state}`);

/** Presence over two API processes: set on B (HTTP or its websocket), seen live on A. */
describe('presence', () => {
  let a: TestApp;
  let b: Awaited<ReturnType<typeof startSecondApi>>;
  let acme: Seeded;
  let acmeOther: Seeded;
  let globex: Seeded;
  let alice: Member;
  let bob: Member;
  const sockets: Socket[] = [];
  const open = (baseUrl: string, token: string) => {
    const s = openSocket(baseUrl, token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    a = await startTestApp({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) });
    b = await startSecondApi();
    acme = await seedAgency(a);
    acmeOther = await seedBrand(a, acme.agency);
    globex = await seedAgency(a);
    alice = await createMember(a, acme.agency.agencyId, 'AGENT');
    bob = await createMember(a, acme.agency.agencyId, 'AGENT', [acme.brandId]);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.client.dispose()));
    await b?.close();
    await a?.close();
  });

  /** A presence subscription on API A that has received the current list. */
  async function watch(conversationId: string, token = acme.agency.token): Promise<Received> {
    const sub = open(a.baseUrl, token).subscribe(CONVERSATION_PRESENCE, { id: conversationId });
    await sub.until(1);
    return sub;
  }

  it('the current list first, then every change made through API B; a heartbeat changes nothing', async () => {
    const c = await seedConversation(a, acme);
    const sub = await watch(c.conversationId);
    expect(latest(sub)).toEqual([]);

    const onB = (m: Member) => b.gql.as(m.token);
    const { setPresence } = await onB(alice).ok(SET_PRESENCE, { id: c.conversationId, state: 'VIEWING' });
    expect(setPresence.entries).toEqual([{ userId: alice.userId, name: 'AGENT member', state: 'VIEWING' }]);
    await sub.until(2);
    expect(latest(sub)[0]).toMatchObject({ userId: alice.userId, name: 'AGENT member', state: 'VIEWING' });
    const since = latest(sub)[0].since;

    await onB(bob).ok(SET_PRESENCE, { id: c.conversationId, state: 'TYPING' });
    await sub.until(3);
    expect(states(sub)).toEqual([`${alice.userId}:VIEWING`, `${bob.userId}:TYPING`]);

    // A heartbeat in the same state keeps `since` and publishes nothing; a new state is published.
    await onB(alice).ok(SET_PRESENCE, { id: c.conversationId, state: 'VIEWING' });
    await onB(bob).ok(SET_PRESENCE, { id: c.conversationId, state: 'IDLE' });
    await sub.until(4);
    expect(sub.items).toHaveLength(4);
    expect(latest(sub)[0].since).toBe(since);
    expect(states(sub)).toEqual([`${alice.userId}:VIEWING`, `${bob.userId}:IDLE`]);

    await onB(bob).ok(SET_PRESENCE, { id: c.conversationId, state: 'LEFT' });
    await sub.until(5);
    expect(states(sub)).toEqual([`${alice.userId}:VIEWING`]);
    const { presence } = await a.gql.as(bob.token).ok(PRESENCE, { id: c.conversationId });
    expect(presence.entries.map((e: any) => e.userId)).toEqual([alice.userId]);
  });

  it(`an entry without a heartbeat disappears after PRESENCE_TTL_SECONDS (${TTL_SECONDS} s here), and that is published`, async () => {
    const c = await seedConversation(a, acme);
    const sub = await watch(c.conversationId);
    const setAt = Date.now();
    await b.gql.as(alice.token).ok(SET_PRESENCE, { id: c.conversationId, state: 'VIEWING' });
    await sub.until(2);
    await sub.until(3, 10_000);
    expect(latest(sub)).toEqual([]);
    const gone = Date.now() - setAt;
    expect(gone).toBeGreaterThanOrEqual(TTL_SECONDS * 1000);
    const { presence } = await a.gql.as(alice.token).ok(PRESENCE, { id: c.conversationId });
    expect(presence.entries).toEqual([]);
  });

  it('presence set over a websocket disappears when that socket closes', async () => {
    const c = await seedConversation(a, acme);
    const sub = await watch(c.conversationId);
    const socket = open(b.gql.baseUrl, bob.token);
    const set = await socket.run(SET_PRESENCE, { id: c.conversationId, state: 'TYPING' });
    expect(set.data.setPresence.entries).toEqual([
      { userId: bob.userId, name: 'AGENT member', state: 'TYPING' },
    ]);
    await sub.until(2);
    await socket.close();
    await sub.until(3);
    expect(latest(sub)).toEqual([]);
  });

  it('an API key has no presence (FORBIDDEN); a CLIENT_VIEWER may not see it (FORBIDDEN)', async () => {
    const c = await seedConversation(a, acme);
    const { createApiKey } = await acme.agency.client.ok(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'bot', role: 'AGENT' } },
    );
    expect(
      await a.gql.as(createApiKey.secret).code(SET_PRESENCE, { id: c.conversationId, state: 'VIEWING' }),
    ).toBe('FORBIDDEN');
    const viewer = await createMember(a, acme.agency.agencyId, 'CLIENT_VIEWER', [acme.brandId]);
    expect(await viewer.client.code(PRESENCE, { id: c.conversationId })).toBe('FORBIDDEN');
  });

  describe('NOT_FOUND for another agency, a brand out of scope, an unknown or malformed id', () => {
    let foreign: string;
    let outOfScope: string;
    beforeAll(async () => {
      foreign = (await seedConversation(a, globex)).conversationId;
      outOfScope = (await seedConversation(a, acmeOther)).conversationId;
    });
    const cases = () => [
      ['owner of another agency', acme.agency.token, foreign],
      ['agent scoped to another brand', bob.token, outOfScope],
      ['unknown id', acme.agency.token, randomUUID()],
      ['malformed id', acme.agency.token, 'nope'],
    ];

    describe(crossTenant('setPresence'), () => {
      it('answers NOT_FOUND and stores nothing', async () => {
        for (const [, token, id] of cases()) {
          expect(await a.gql.as(token).code(SET_PRESENCE, { id, state: 'VIEWING' })).toBe('NOT_FOUND');
        }
        const { presence } = await globex.agency.client.ok(PRESENCE, { id: foreign });
        expect(presence.entries).toEqual([]);
      });
    });

    describe(crossTenant('presence'), () => {
      it('answers NOT_FOUND', async () => {
        for (const [, token, id] of cases()) {
          expect(await a.gql.as(token).code(PRESENCE, { id })).toBe('NOT_FOUND');
        }
      });
    });

    describe(crossTenant('conversationPresence'), () => {
      it('answers NOT_FOUND on subscribe', async () => {
        for (const [, token, id] of cases()) {
          const sub = open(a.baseUrl, token).subscribe(CONVERSATION_PRESENCE, { id });
          expect((await sub.failure())[0].extensions.code).toBe('NOT_FOUND');
        }
      });
    });
  });
});
