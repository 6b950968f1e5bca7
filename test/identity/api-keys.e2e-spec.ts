import { randomUUID } from 'node:crypto';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name role brandIds keyPrefix createdAt lastUsedAt revokedAt } }
}`;
const LIST = `{ apiKeys { id name role brandIds revokedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const ME = `{ me { user { id } } }`;

describe('API keys', () => {
  let t: TestApp;
  let owner: SignedUp;
  let brandA: string;
  let brandB: string;
  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_LOGIN_PER_IP: '100000', THROTTLE_LOGIN_PER_EMAIL: '100000' });
    owner = await signUpAgency(t.gql);
    brandA = await createBrand(owner.agencyId, 'Alpha');
    brandB = await createBrand(owner.agencyId, 'Beta');
  });
  afterAll(() => t.close());

  async function createBrand(agencyId: string, name: string): Promise<string> {
    const id = randomUUID();
    await t.ownerQuery(
      `INSERT INTO brands (agency_id, id, name, slug, timezone) VALUES ($1, $2, $3, $4, 'UTC')`,
      [agencyId, id, name, `${name.toLowerCase()}-${id.slice(0, 8)}`],
    );
    return id;
  }

  const keyCount = async () => (await t.ownerQuery('SELECT count(*)::int AS n FROM api_keys'))[0].n as number;

  it('creates a key shown once, stored only as a hash, that authenticates with its role and brands', async () => {
    const { createApiKey } = await owner.client.ok(CREATE, {
      input: { name: 'BI export', role: 'AGENT', brandIds: [brandA] },
    });
    const { secret, apiKey } = createApiKey;
    expect(secret).toMatch(new RegExp(`^cdk_${owner.agencyId.replace(/-/g, '')}_[A-Za-z0-9_-]{43}$`));
    expect(apiKey).toMatchObject({
      name: 'BI export',
      role: 'AGENT',
      brandIds: [brandA],
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(secret.startsWith(apiKey.keyPrefix)).toBe(true);
    const [row] = await t.ownerQuery('SELECT * FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(JSON.stringify(row)).not.toContain(secret.slice(38));
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await t.ownerQuery(
      `SELECT changes FROM audit_events WHERE entity_id = $1 AND action = 'api_key.create'`,
      [apiKey.id],
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].changes)).not.toContain(secret);

    const asKey = t.gql.as(secret);
    expect(await asKey.code(ME)).toBe('FORBIDDEN');
    // An AGENT key: below ADMIN, so key management is refused; its context is the key's, not the creator's.
    expect(await asKey.code(LIST)).toBe('FORBIDDEN');
    const [used] = await t.ownerQuery('SELECT last_used_at FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(used.last_used_at).not.toBeNull();
    // At most one write a minute.
    await asKey.code(LIST);
    const [again] = await t.ownerQuery('SELECT last_used_at FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(again.last_used_at).toEqual(used.last_used_at);
  });

  it('an ADMIN key can use admin operations and its actions are audited as the key', async () => {
    const { createApiKey } = await owner.client.ok(CREATE, {
      input: { name: 'Admin script', role: 'ADMIN' },
    });
    const asKey = t.gql.as(createApiKey.secret);
    const { apiKeys } = await asKey.ok(LIST);
    expect(apiKeys.map((k: { id: string }) => k.id)).toContain(createApiKey.apiKey.id);
    // Keys do not mint keys, but an ADMIN key may revoke one (e.g. a leaked sibling).
    expect(await asKey.code(CREATE, { input: { name: 'child', role: 'AGENT' } })).toBe('FORBIDDEN');
    const { createApiKey: leaked } = await owner.client.ok(CREATE, {
      input: { name: 'Leaked', role: 'AGENT' },
    });
    await asKey.ok(REVOKE, { id: leaked.apiKey.id });
    const audit = await t.ownerQuery(
      `SELECT actor_user_id, actor_api_key_id FROM audit_events WHERE entity_id = $1 AND action = 'api_key.revoke'`,
      [leaked.apiKey.id],
    );
    expect(audit).toEqual([{ actor_user_id: null, actor_api_key_id: createApiKey.apiKey.id }]);
  });

  it('revokes a key: it stops working at once, and revoking again changes nothing', async () => {
    const { createApiKey } = await owner.client.ok(CREATE, { input: { name: 'Temp', role: 'MANAGER' } });
    const { revokeApiKey } = await owner.client.ok(REVOKE, { id: createApiKey.apiKey.id });
    expect(revokeApiKey.revokedAt).not.toBeNull();
    expect(await t.gql.as(createApiKey.secret).code(LIST)).toBe('UNAUTHENTICATED');
    const { revokeApiKey: again } = await owner.client.ok(REVOKE, { id: createApiKey.apiKey.id });
    expect(again.revokedAt).toBe(revokeApiKey.revokedAt);
    const audit = await t.ownerQuery(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'api_key.revoke'`,
      [createApiKey.apiKey.id],
    );
    expect(audit[0].n).toBe(1);
    const { apiKeys } = await owner.client.ok(LIST);
    expect(apiKeys.find((k: { id: string }) => k.id === createApiKey.apiKey.id).revokedAt).not.toBeNull();
  });

  it('refuses malformed and unknown keys', async () => {
    for (const key of ['cdk_', `cdk_${owner.agencyId.replace(/-/g, '')}_${'a'.repeat(43)}`, 'cdk_zz_zz']) {
      expect(await t.gql.as(key).code(ME)).toBe('UNAUTHENTICATED');
    }
  });

  it('enforces the rules on role and brands', async () => {
    const admin = await createMember(t, owner.agencyId, 'ADMIN');
    const manager = await createMember(t, owner.agencyId, 'MANAGER');
    const before = await keyCount();
    expect(await admin.client.code(CREATE, { input: { name: 'k', role: 'OWNER' } })).toBe('BAD_USER_INPUT');
    expect(await owner.client.code(CREATE, { input: { name: 'k', role: 'OWNER' } })).toBe('BAD_USER_INPUT');
    expect(await manager.client.code(CREATE, { input: { name: 'k', role: 'AGENT' } })).toBe('FORBIDDEN');
    expect(await manager.client.code(LIST)).toBe('FORBIDDEN');
    expect(await owner.client.code(CREATE, { input: { name: 'k', role: 'CLIENT_VIEWER' } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await owner.client.code(CREATE, {
        input: { name: 'k', role: 'CLIENT_VIEWER', brandIds: [brandA, brandB] },
      }),
    ).toBe('BAD_USER_INPUT');
    expect(await keyCount()).toBe(before);
    const { createApiKey } = await admin.client.ok(CREATE, {
      input: { name: 'Viewer', role: 'CLIENT_VIEWER', brandIds: [brandB] },
    });
    expect(createApiKey.apiKey.brandIds).toEqual([brandB]);
  });

  it('refuses bad input, writing nothing', async () => {
    const before = await keyCount();
    const bad: unknown[] = [
      { name: '', role: 'AGENT' },
      { name: '   ', role: 'AGENT' },
      { name: 'x'.repeat(1_000_000), role: 'AGENT' },
      { name: 'k', role: 'SUPERUSER' },
      { name: 'k', role: 'AGENT', brandIds: ['not-a-uuid'] },
      { name: 'k', role: 'AGENT', brandIds: [] },
      { name: 42, role: 'AGENT' },
      { name: 'k' },
      { name: 'k', role: 'AGENT', brandIds: 'abc' },
    ];
    for (const input of bad) expect(await owner.client.code(CREATE, { input })).toBe('BAD_USER_INPUT');
    expect(await owner.client.code(REVOKE, { id: 12.5 })).toBe('BAD_USER_INPUT');
    expect(await owner.client.code(REVOKE, { id: 'not-a-uuid' })).toBe('NOT_FOUND');
    expect(await keyCount()).toBe(before);
  });

  describe(crossTenant('createApiKey'), () => {
    it('answers NOT_FOUND for another agency’s brand and a brand outside the caller’s scope', async () => {
      const other = await signUpAgency(t.gql);
      const foreignBrand = await createBrand(other.agencyId, 'Foreign');
      const scopedAdmin = await createMember(t, owner.agencyId, 'ADMIN', [brandA]);
      const before = await keyCount();
      expect(
        await owner.client.code(CREATE, { input: { name: 'k', role: 'AGENT', brandIds: [foreignBrand] } }),
      ).toBe('NOT_FOUND');
      expect(
        await scopedAdmin.client.code(CREATE, { input: { name: 'k', role: 'AGENT', brandIds: [brandB] } }),
      ).toBe('NOT_FOUND');
      expect(
        await scopedAdmin.client.code(CREATE, {
          input: { name: 'k', role: 'AGENT', brandIds: [brandA, brandB] },
        }),
      ).toBe('NOT_FOUND');
      // Someone limited to some brands cannot make a key for every brand.
      expect(await scopedAdmin.client.code(CREATE, { input: { name: 'k', role: 'AGENT' } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await keyCount()).toBe(before);
      const { createApiKey } = await scopedAdmin.client.ok(CREATE, {
        input: { name: 'k', role: 'AGENT', brandIds: [brandA] },
      });
      expect(createApiKey.apiKey.brandIds).toEqual([brandA]);
    });
  });

  describe(crossTenant('revokeApiKey'), () => {
    it('answers NOT_FOUND for another agency’s key and a key reaching outside the caller’s brands', async () => {
      const other = await signUpAgency(t.gql);
      const { createApiKey: foreign } = await other.client.ok(CREATE, {
        input: { name: 'theirs', role: 'AGENT' },
      });
      expect(await owner.client.code(REVOKE, { id: foreign.apiKey.id })).toBe('NOT_FOUND');
      expect(await owner.client.code(REVOKE, { id: randomUUID() })).toBe('NOT_FOUND');

      const { createApiKey: onB } = await owner.client.ok(CREATE, {
        input: { name: 'B only', role: 'AGENT', brandIds: [brandB] },
      });
      const { createApiKey: all } = await owner.client.ok(CREATE, {
        input: { name: 'all brands', role: 'AGENT' },
      });
      const scopedAdmin = await createMember(t, owner.agencyId, 'ADMIN', [brandA]);
      expect(await scopedAdmin.client.code(REVOKE, { id: onB.apiKey.id })).toBe('NOT_FOUND');
      expect(await scopedAdmin.client.code(REVOKE, { id: all.apiKey.id })).toBe('NOT_FOUND');
      const { apiKeys } = await scopedAdmin.client.ok(LIST);
      const ids = apiKeys.map((k: { id: string }) => k.id);
      expect(ids).not.toContain(onB.apiKey.id);
      expect(ids).not.toContain(all.apiKey.id);
      expect(ids).not.toContain(foreign.apiKey.id);

      const revoked = await t.ownerQuery(
        'SELECT count(*)::int AS n FROM api_keys WHERE id = ANY($1) AND revoked_at IS NOT NULL',
        [[foreign.apiKey.id, onB.apiKey.id, all.apiKey.id]],
      );
      expect(revoked[0].n).toBe(0);
      expect(
        (await t.gql.as(foreign.secret).request(`{ apiKeys { id } }`)).errors?.[0].extensions?.code,
      ).toBe('FORBIDDEN');
    });
  });
});
