import { randomUUID } from 'node:crypto';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { GqlClient } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import {
  CHANNEL,
  CHANNELS,
  CONNECT,
  connectInput,
  createMember,
  DISCONNECT,
  insertBrand,
  RECONNECT,
} from './channel-helpers';

describe('channels: access and input', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  /** An ADMIN of agency A limited to brand `inScope`. */
  let scopedAdmin: GqlClient;
  let inScope: string;
  let outOfScope: string;
  let brandB: string;
  let channelOut: string;
  let channelB: string;

  const snapshot = async () =>
    (
      await t.ownerQuery(`SELECT
        (SELECT count(*) FROM channels)::int AS channels,
        (SELECT count(*) FROM channel_routes)::int AS routes,
        (SELECT count(*) FROM audit_events)::int AS audit,
        (SELECT string_agg(id || status || credentials_sealed, ',' ORDER BY id) FROM channels) AS rows`)
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([signUpAgency(t.gql, 'A'), signUpAgency(t.gql, 'B')]);
    inScope = await insertBrand(t, a.agencyId, 'In scope');
    outOfScope = await insertBrand(t, a.agencyId, 'Out of scope');
    brandB = await insertBrand(t, b.agencyId, 'B brand');
    scopedAdmin = await createMember(t, a.agencyId, 'ADMIN', [inScope]);
    channelOut = (await a.client.ok(CONNECT, { input: connectInput(outOfScope) })).connectChannel.id;
    channelB = (await b.client.ok(CONNECT, { input: connectInput(brandB) })).connectChannel.id;
  });
  afterAll(() => t.close());

  describe(crossTenant('connectChannel'), () => {
    it('answers NOT_FOUND for another agency’s brand, an out-of-scope brand and an unknown one, writing nothing', async () => {
      const before = await snapshot();
      expect(await a.client.code(CONNECT, { input: connectInput(brandB) })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(CONNECT, { input: connectInput(outOfScope) })).toBe('NOT_FOUND');
      expect(await a.client.code(CONNECT, { input: connectInput(randomUUID()) })).toBe('NOT_FOUND');
      expect(await snapshot()).toEqual(before);
      // The scoped admin can connect to their own brand.
      await scopedAdmin.ok(CONNECT, { input: connectInput(inScope) });
    });
  });

  describe(crossTenant('disconnectChannel'), () => {
    it('answers NOT_FOUND for another agency’s channel and one of an out-of-scope brand, changing nothing', async () => {
      const before = await snapshot();
      expect(await a.client.code(DISCONNECT, { id: channelB })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(DISCONNECT, { id: channelOut })).toBe('NOT_FOUND');
      expect(await a.client.code(DISCONNECT, { id: randomUUID() })).toBe('NOT_FOUND');
      expect(await a.client.code(DISCONNECT, { id: 'not-a-uuid' })).toBe('NOT_FOUND');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe(crossTenant('reconnectChannel'), () => {
    it('answers NOT_FOUND for another agency’s channel and one of an out-of-scope brand, changing nothing', async () => {
      const before = await snapshot();
      const credentials = { accessToken: 'stolen?' };
      expect(await a.client.code(RECONNECT, { input: { id: channelB, credentials } })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(RECONNECT, { input: { id: channelOut, credentials } })).toBe('NOT_FOUND');
      expect(await a.client.code(RECONNECT, { input: { id: randomUUID(), credentials } })).toBe('NOT_FOUND');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe(crossTenant('channels'), () => {
    it('answers NOT_FOUND for another agency’s brand and an out-of-scope brand', async () => {
      expect(await a.client.code(CHANNELS, { brandId: brandB })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(CHANNELS, { brandId: outOfScope })).toBe('NOT_FOUND');
      expect(await a.client.code(CHANNELS, { brandId: 'nope' })).toBe('NOT_FOUND');
      expect((await a.client.ok(CHANNELS, { brandId: outOfScope })).channels.map((c: any) => c.id)).toEqual([
        channelOut,
      ]);
    });
  });

  describe(crossTenant('channel'), () => {
    it('answers NOT_FOUND for another agency’s channel and one of an out-of-scope brand', async () => {
      expect(await a.client.code(CHANNEL, { id: channelB })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(CHANNEL, { id: channelOut })).toBe('NOT_FOUND');
      expect(await a.client.code(CHANNEL, { id: randomUUID() })).toBe('NOT_FOUND');
      // Same shape and message as a channel that does not exist: ids cannot be probed.
      const foreign = await a.client.request(CHANNEL, { id: channelB });
      const missing = await a.client.request(CHANNEL, { id: randomUUID() });
      expect(foreign.errors?.[0].message).toBe(missing.errors?.[0].message);
    });
  });

  describe('bad input is refused with BAD_USER_INPUT and writes nothing', () => {
    const MB = 'x'.repeat(1_000_000);

    it('connectChannel', async () => {
      const before = await snapshot();
      const bad: Array<[string, Record<string, unknown>]> = [
        ['unknown platform', { platform: 'MYSPACE' }],
        ['platform of the wrong type', { platform: 7 }],
        ['empty externalAccountId', { externalAccountId: '' }],
        ['blank externalAccountId', { externalAccountId: '   ' }],
        ['externalAccountId with spaces', { externalAccountId: 'a b' }],
        ['externalAccountId too long', { externalAccountId: 'x'.repeat(201) }],
        ['externalAccountId of the wrong type', { externalAccountId: 12 }],
        ['empty displayName', { displayName: '' }],
        ['1 MB displayName', { displayName: MB }],
        ['displayName of the wrong type', { displayName: ['x'] }],
        ['malformed brandId', { brandId: 'brand-1' }],
        ['missing credentials', { credentials: undefined }],
        ['null credentials', { credentials: null }],
        ['credentials without a secret', { credentials: {} }],
        ['only an expiry', { credentials: { expiresAt: '2030-01-01T00:00:00Z' } }],
        ['empty accessToken', { credentials: { accessToken: '' } }],
        ['1 MB accessToken', { credentials: { accessToken: MB } }],
        ['1 MB refreshToken', { credentials: { refreshToken: MB } }],
        ['invalid expiresAt', { credentials: { accessToken: 't', expiresAt: 'tomorrow' } }],
        ['accessToken of the wrong type', { credentials: { accessToken: { a: 1 } } }],
        ['extra with a bad key', { credentials: { extra: [{ key: 'has space', value: 'v' }] } }],
        ['extra with an empty value', { credentials: { extra: [{ key: 'k', value: '' }] } }],
        ['extra with a 1 MB value', { credentials: { extra: [{ key: 'k', value: MB }] } }],
        [
          'extra key twice',
          {
            credentials: {
              extra: [
                { key: 'k', value: '1' },
                { key: 'k', value: '2' },
              ],
            },
          },
        ],
        [
          'too many extras',
          { credentials: { extra: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } },
        ],
        ['unknown field', { credentials: { accessToken: 't', password: 'p' } }],
      ];
      for (const [what, overrides] of bad) {
        const input = { ...connectInput(inScope), ...overrides };
        if ('credentials' in overrides && overrides.credentials === undefined)
          delete (input as any).credentials;
        const r = await a.client.request(CONNECT, { input });
        expect([what, r.errors?.[0]?.extensions?.code]).toEqual([what, 'BAD_USER_INPUT']);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('reconnectChannel and disconnectChannel', async () => {
      const { connectChannel: ch } = await a.client.ok(CONNECT, { input: connectInput(inScope) });
      const before = await snapshot();
      const bad: unknown[] = [
        { id: ch.id, credentials: {} },
        { id: ch.id, credentials: { accessToken: '' } },
        { id: ch.id, credentials: { accessToken: MB } },
        { id: ch.id },
        { id: 'not-a-uuid', credentials: { accessToken: 't' } },
        { id: 42, credentials: { accessToken: 't' } },
      ];
      for (const input of bad) {
        expect([input, await a.client.code(RECONNECT, { input })]).toEqual([input, 'BAD_USER_INPUT']);
      }
      expect(await a.client.code(DISCONNECT, { id: { x: 1 } })).toBe('BAD_USER_INPUT');
      expect(await a.client.code(DISCONNECT, {})).toBe('BAD_USER_INPUT');
      expect(await snapshot()).toEqual(before);
    });
  });
});
