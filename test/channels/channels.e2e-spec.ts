import { randomBytes, randomUUID } from 'node:crypto';
import { OnboardingRegistry } from '@caredesk/brands';
import {
  ChannelCredentialsService,
  ChannelRouteService,
  CredentialsUnreadableError,
  Platform,
} from '@caredesk/channels';
import { RequestContext, SecretBox } from '@caredesk/core';
import { signUpAgency, SignedUp } from '../support/fixtures';
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
  uniqueAccount,
} from './channel-helpers';

/** A retired key: values sealed with it must still open while it is listed in ENCRYPTION_KEYS_PREVIOUS. */
const OLD_KEY = { id: 'old1', key: randomBytes(32) };

describe('channels: connect, list, disconnect, reconnect', () => {
  let t: TestApp;
  let a: SignedUp;
  let brandA: string;
  const sys = (agencyId: string) => RequestContext.system(agencyId, 'test');

  beforeAll(async () => {
    t = await startTestApp({ ENCRYPTION_KEYS_PREVIOUS: `${OLD_KEY.id}:${OLD_KEY.key.toString('base64')}` });
    a = await signUpAgency(t.gql, 'Channels A');
    brandA = await insertBrand(t, a.agencyId, 'Acme');
  });
  afterAll(() => t.close());

  it('connects a channel, lists it and reads it, sealing the credentials', async () => {
    const secret = `EAAG-${randomUUID()}`;
    const input = connectInput(brandA, {
      credentials: { accessToken: secret, extra: [{ key: 'pageScopedId', value: '42' }] },
    });
    const { connectChannel: ch } = await a.client.ok(CONNECT, { input });
    expect(ch).toMatchObject({
      brandId: brandA,
      platform: 'FACEBOOK_PAGE',
      externalAccountId: input.externalAccountId,
      displayName: 'Acme on Facebook',
      status: 'ACTIVE',
      hasCredentials: true,
      disconnectedAt: null,
    });

    const { channels } = await a.client.ok(CHANNELS, { brandId: brandA });
    expect(channels.map((c: any) => c.id)).toContain(ch.id);
    expect((await a.client.ok(CHANNEL, { id: ch.id })).channel).toEqual(ch);

    const [row] = await t.ownerQuery('SELECT credentials_sealed FROM channels WHERE id = $1', [ch.id]);
    expect(row.credentials_sealed).toMatch(/^v1\.test1\./);
    expect(row.credentials_sealed).not.toContain(secret);
    expect(row.credentials_sealed).not.toContain(Buffer.from(secret).toString('base64').slice(0, 20));

    const opened = await t.app.get(ChannelCredentialsService).open(sys(a.agencyId), ch.id);
    expect(opened).toEqual({ accessToken: secret, extra: { pageScopedId: '42' } });

    expect(
      await t.app.get(ChannelRouteService).resolve(Platform.FACEBOOK_PAGE, input.externalAccountId),
    ).toEqual({
      agencyId: a.agencyId,
      brandId: brandA,
      channelId: ch.id,
    });
    expect(
      await t.app.get(ChannelRouteService).resolve(Platform.INSTAGRAM, input.externalAccountId),
    ).toBeNull();

    const audit = await t.ownerQuery(
      `SELECT action, entity_id, brand_id, changes FROM audit_events WHERE entity_id = $1`,
      [ch.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'channel.connect', brand_id: brandA });
    expect(audit[0].changes.credentialFields).toEqual(['accessToken', 'extra.pageScopedId']);
    expect(JSON.stringify(audit[0])).not.toContain(secret);
  });

  it('disconnects: wipes secrets, frees the account, keeps the row; again is a no-op', async () => {
    const input = connectInput(brandA);
    const { connectChannel: ch } = await a.client.ok(CONNECT, { input });
    const { disconnectChannel: off } = await a.client.ok(DISCONNECT, { id: ch.id });
    expect(off).toMatchObject({ id: ch.id, status: 'DISCONNECTED', hasCredentials: false });
    expect(off.disconnectedAt).not.toBeNull();

    const [row] = await t.ownerQuery('SELECT status, credentials_sealed FROM channels WHERE id = $1', [
      ch.id,
    ]);
    expect(row).toEqual({ status: 'DISCONNECTED', credentials_sealed: '' });
    expect(
      await t.app.get(ChannelRouteService).resolve(Platform.FACEBOOK_PAGE, input.externalAccountId),
    ).toBeNull();
    await expect(t.app.get(ChannelCredentialsService).open(sys(a.agencyId), ch.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const listed = (await a.client.ok(CHANNELS, { brandId: brandA })).channels.map((c: any) => c.id);
    expect(listed).not.toContain(ch.id);
    const all = (await a.client.ok(CHANNELS, { brandId: brandA, all: true })).channels.map((c: any) => c.id);
    expect(all).toContain(ch.id);

    expect((await a.client.ok(DISCONNECT, { id: ch.id })).disconnectChannel.status).toBe('DISCONNECTED');
    const audit = await t.ownerQuery(
      `SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY created_at`,
      [ch.id],
    );
    expect(audit.map((r) => r.action)).toEqual(['channel.connect', 'channel.disconnect']);

    // The freed account can be connected again, by another agency even.
    const b = await signUpAgency(t.gql, 'Channels B');
    const brandB = await insertBrand(t, b.agencyId);
    const { connectChannel: again } = await b.client.ok(CONNECT, {
      input: connectInput(brandB, { externalAccountId: input.externalAccountId }),
    });
    expect(
      await t.app.get(ChannelRouteService).resolve(Platform.FACEBOOK_PAGE, input.externalAccountId),
    ).toEqual({
      agencyId: b.agencyId,
      brandId: brandB,
      channelId: again.id,
    });
  });

  it('reconnects with new credentials, re-claiming the account; CONFLICT if someone took it meanwhile', async () => {
    const input = connectInput(brandA);
    const { connectChannel: ch } = await a.client.ok(CONNECT, { input });
    await a.client.ok(DISCONNECT, { id: ch.id });

    const fresh = `new-token-${randomUUID()}`;
    const { reconnectChannel: on } = await a.client.ok(RECONNECT, {
      input: {
        id: ch.id,
        credentials: { accessToken: fresh, refreshToken: 'r-1', expiresAt: '2031-01-01T00:00:00.000Z' },
      },
    });
    expect(on).toMatchObject({ id: ch.id, status: 'ACTIVE', hasCredentials: true, disconnectedAt: null });
    expect(await t.app.get(ChannelCredentialsService).open(sys(a.agencyId), ch.id)).toEqual({
      accessToken: fresh,
      refreshToken: 'r-1',
      expiresAt: '2031-01-01T00:00:00.000Z',
      extra: {},
    });
    expect(
      (await t.app.get(ChannelRouteService).resolve(Platform.FACEBOOK_PAGE, input.externalAccountId))
        ?.channelId,
    ).toBe(ch.id);

    // Reconnecting an ACTIVE channel only rotates its credentials.
    await a.client.ok(RECONNECT, { input: { id: ch.id, credentials: { accessToken: 'rotated' } } });
    expect((await t.app.get(ChannelCredentialsService).open(sys(a.agencyId), ch.id)).accessToken).toBe(
      'rotated',
    );

    // Disconnected, then the account is taken by another agency: reconnect is refused, nothing changes.
    await a.client.ok(DISCONNECT, { id: ch.id });
    const b = await signUpAgency(t.gql, 'Channels B');
    await b.client.ok(CONNECT, {
      input: connectInput(await insertBrand(t, b.agencyId), { externalAccountId: input.externalAccountId }),
    });
    expect(await a.client.code(RECONNECT, { input: { id: ch.id, credentials: { accessToken: 'x' } } })).toBe(
      'CONFLICT',
    );
    const [row] = await t.ownerQuery('SELECT status, credentials_sealed FROM channels WHERE id = $1', [
      ch.id,
    ]);
    expect(row).toEqual({ status: 'DISCONNECTED', credentials_sealed: '' });
  });

  it('refuses an account connected anywhere with CONFLICT, writing nothing', async () => {
    const input = connectInput(brandA);
    await a.client.ok(CONNECT, { input });
    const b = await signUpAgency(t.gql, 'Channels B');
    const brandB = await insertBrand(t, b.agencyId);
    const count = async () =>
      (
        await t.ownerQuery('SELECT count(*)::int AS n FROM channels WHERE external_account_id = $1', [
          input.externalAccountId,
        ])
      )[0].n;

    const r = await b.client.request(CONNECT, {
      input: connectInput(brandB, { externalAccountId: input.externalAccountId }),
    });
    expect(r.errors?.[0]).toMatchObject({
      message: 'This account is already connected',
      extensions: { code: 'CONFLICT' },
    });
    expect(JSON.stringify(r.errors)).not.toContain(a.agencyId);
    expect(
      await a.client.code(CONNECT, {
        input: connectInput(brandA, { externalAccountId: input.externalAccountId }),
      }),
    ).toBe('CONFLICT');
    expect(await count()).toBe(1);
    expect(
      (
        await t.ownerQuery('SELECT count(*)::int AS n FROM audit_events WHERE agency_id = $1', [b.agencyId])
      )[0].n,
    ).toBe(0);

    // The same account id on another platform is another account.
    await b.client.ok(CONNECT, {
      input: connectInput(brandB, { platform: 'INSTAGRAM', externalAccountId: input.externalAccountId }),
    });
  });

  it('lets exactly one of two concurrent connects of the same account win', async () => {
    const agencies = await Promise.all([signUpAgency(t.gql, 'Race 1'), signUpAgency(t.gql, 'Race 2')]);
    const brands = await Promise.all(agencies.map((ag) => insertBrand(t, ag.agencyId)));
    const account = uniqueAccount('race');
    for (let round = 0; round < 3; round++) {
      const externalAccountId = `${account}-${round}`;
      const results = await Promise.all(
        agencies.map((ag, i) =>
          ag.client.request(CONNECT, { input: connectInput(brands[i], { externalAccountId }) }),
        ),
      );
      const won = results.filter((r) => !r.errors);
      const lost = results.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(lost.map((r) => r.errors![0].extensions?.code)).toEqual(['CONFLICT']);
      const rows = await t.ownerQuery(
        'SELECT count(*)::int AS n FROM channels WHERE external_account_id = $1',
        [externalAccountId],
      );
      expect(rows[0].n).toBe(1);
      const routes = await t.ownerQuery(
        'SELECT channel_id FROM channel_routes WHERE external_account_id = $1',
        [externalAccountId],
      );
      expect(routes).toEqual([{ channel_id: won[0].data.connectChannel.id }]);
    }
  });

  it('treats email addresses case-insensitively', async () => {
    const local = uniqueAccount('support');
    const { connectChannel: ch } = await a.client.ok(CONNECT, {
      input: connectInput(brandA, {
        platform: 'EMAIL',
        externalAccountId: `${local}@Acme.COM`,
        credentials: { extra: [{ key: 'smtpPassword', value: 'p' }] },
      }),
    });
    expect(ch.externalAccountId).toBe(`${local}@acme.com`);
    expect(
      await a.client.code(CONNECT, {
        input: connectInput(brandA, {
          platform: 'EMAIL',
          externalAccountId: `${local.toUpperCase()}@acme.com`,
        }),
      }),
    ).toBe('CONFLICT');
    expect(
      (await t.app.get(ChannelRouteService).resolve(Platform.EMAIL, `${local}@ACME.com`))?.channelId,
    ).toBe(ch.id);
  });

  it('does not open a ciphertext copied into another row, of another agency or the same', async () => {
    const { connectChannel: source } = await a.client.ok(CONNECT, { input: connectInput(brandA) });
    const { connectChannel: sibling } = await a.client.ok(CONNECT, { input: connectInput(brandA) });
    const b = await signUpAgency(t.gql, 'Thief');
    const { connectChannel: target } = await b.client.ok(CONNECT, {
      input: connectInput(await insertBrand(t, b.agencyId)),
    });

    await t.ownerQuery(
      `UPDATE channels SET credentials_sealed = (SELECT credentials_sealed FROM channels WHERE id = $1) WHERE id = ANY($2)`,
      [source.id, [target.id, sibling.id]],
    );
    const svc = t.app.get(ChannelCredentialsService);
    await expect(svc.open(sys(b.agencyId), target.id)).rejects.toBeInstanceOf(CredentialsUnreadableError);
    await expect(svc.open(sys(a.agencyId), sibling.id)).rejects.toBeInstanceOf(CredentialsUnreadableError);
    // Another agency's context does not even see the source row.
    await expect(svc.open(sys(b.agencyId), source.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(svc.open(sys(a.agencyId), source.id)).resolves.toMatchObject({ extra: {} });
  });

  it('opens credentials sealed with a previous key and re-seals them with the active one', async () => {
    const { connectChannel: ch } = await a.client.ok(CONNECT, { input: connectInput(brandA) });
    const oldBox = new SecretBox({ encryption: { activeKey: OLD_KEY, previousKeys: [] } });
    const sealedOld = oldBox.seal(JSON.stringify({ accessToken: 'from-2023', extra: {} }), [
      a.agencyId,
      ch.id,
    ]);
    await t.ownerQuery(
      `UPDATE channels SET credentials_sealed = $1, updated_at = '2024-01-01T00:00:00Z' WHERE id = $2`,
      [sealedOld, ch.id],
    );

    const opened = await t.app.get(ChannelCredentialsService).open(sys(a.agencyId), ch.id);
    expect(opened.accessToken).toBe('from-2023');
    const [row] = await t.ownerQuery('SELECT credentials_sealed, updated_at FROM channels WHERE id = $1', [
      ch.id,
    ]);
    expect(row.credentials_sealed).toMatch(/^v1\.test1\./);
    // Re-sealing is no change of the channel: ingest reads a new updated_at as "reconnected".
    expect(row.updated_at).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect((await t.app.get(ChannelCredentialsService).open(sys(a.agencyId), ch.id)).accessToken).toBe(
      'from-2023',
    );

    // A key that is not configured at all: the value cannot be opened.
    const unknownBox = new SecretBox({
      encryption: { activeKey: { id: 'gone', key: randomBytes(32) }, previousKeys: [] },
    });
    await t.ownerQuery('UPDATE channels SET credentials_sealed = $1 WHERE id = $2', [
      unknownBox.seal('{}', [a.agencyId, ch.id]),
      ch.id,
    ]);
    await expect(t.app.get(ChannelCredentialsService).open(sys(a.agencyId), ch.id)).rejects.toBeInstanceOf(
      CredentialsUnreadableError,
    );
  });

  it('registers the CHANNELS_CONNECTED onboarding step: done with at least one ACTIVE channel', async () => {
    const withActive = await insertBrand(t, a.agencyId);
    const onlyDisconnected = await insertBrand(t, a.agencyId);
    const none = await insertBrand(t, a.agencyId);
    await a.client.ok(CONNECT, { input: connectInput(withActive) });
    const { connectChannel: off } = await a.client.ok(CONNECT, { input: connectInput(onlyDisconnected) });
    await a.client.ok(DISCONNECT, { id: off.id });

    const step = t.app
      .get(OnboardingRegistry)
      .steps()
      .find((s) => s.key === 'CHANNELS_CONNECTED')!;
    expect(step).toMatchObject({ title: 'Connect a channel', order: 10 });
    const done = await step.isDone(sys(a.agencyId), [withActive, onlyDisconnected, none]);
    expect(Object.fromEntries(done)).toEqual({
      [withActive]: true,
      [onlyDisconnected]: false,
      [none]: false,
    });
    // Another agency's context sees none of these brands' channels.
    const b = await signUpAgency(t.gql, 'Other');
    expect((await step.isDone(sys(b.agencyId), [withActive])).get(withActive)).toBe(false);
  });

  it('lets ADMINs change channels, agents read them, and client viewers neither', async () => {
    const { connectChannel: ch } = await a.client.ok(CONNECT, { input: connectInput(brandA) });
    const admin = await createMember(t, a.agencyId, 'ADMIN', null);
    const manager = await createMember(t, a.agencyId, 'MANAGER', null);
    const agent = await createMember(t, a.agencyId, 'AGENT', [brandA]);
    const viewer = await createMember(t, a.agencyId, 'CLIENT_VIEWER', [brandA]);

    await admin.ok(CONNECT, { input: connectInput(brandA) });
    expect(await manager.code(CONNECT, { input: connectInput(brandA) })).toBe('FORBIDDEN');
    expect(await manager.code(DISCONNECT, { id: ch.id })).toBe('FORBIDDEN');
    expect(await agent.code(RECONNECT, { input: { id: ch.id, credentials: { accessToken: 'x' } } })).toBe(
      'FORBIDDEN',
    );
    expect((await agent.ok(CHANNEL, { id: ch.id })).channel.id).toBe(ch.id);
    expect((await manager.ok(CHANNELS, { brandId: brandA })).channels.length).toBeGreaterThan(0);
    expect(await viewer.code(CHANNELS, { brandId: brandA })).toBe('FORBIDDEN');
    expect(await viewer.code(CHANNEL, { id: ch.id })).toBe('FORBIDDEN');
    const [row] = await t.ownerQuery('SELECT status FROM channels WHERE id = $1', [ch.id]);
    expect(row.status).toBe('ACTIVE');
  });

  it('never exposes credentials in the schema', async () => {
    const r = await a.client.request(`{ __type(name: "Channel") { fields { name } } }`);
    const names = (r.data?.__type?.fields ?? []).map((f: any) => f.name);
    expect(names).toContain('hasCredentials');
    expect(names.filter((n: string) => /credential|secret|token|sealed/i.test(n))).toEqual([
      'hasCredentials',
    ]);
  });
});
