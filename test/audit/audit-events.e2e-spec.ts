import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import { createBrand, UPDATE_BRAND } from '../brands/brand-helpers';

const AUDIT = `query($filter: AuditEventsFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { id action entityType entityId brandId actor { userId apiKeyId label } changes ip createdAt }
    pageInfo { endCursor hasNextPage }
  }
}`;

describe('audit events', () => {
  let t: TestApp;
  let owner: SignedUp;
  let brandA: any;
  let brandB: any;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUpAgency(t.gql);
    brandA = await createBrand(owner.client, { name: 'Audit A' });
    brandB = await createBrand(owner.client, { name: 'Audit B' });
    for (let i = 0; i < 5; i++) {
      await owner.client.ok(UPDATE_BRAND, { input: { id: brandA.id, name: `Audit A ${i}` } });
    }
  });
  afterAll(() => t.close());

  it('lists events newest first with who, what and which entity', async () => {
    const { auditEvents } = await owner.client.ok(AUDIT);
    expect(auditEvents.nodes).toHaveLength(7);
    const [latest] = auditEvents.nodes;
    expect(latest).toMatchObject({
      action: 'brand.update',
      entityType: 'brand',
      entityId: brandA.id,
      brandId: brandA.id,
      actor: { userId: owner.userId, apiKeyId: null },
      changes: { name: { from: 'Audit A 3', to: 'Audit A 4' } },
    });
    expect(latest.actor.label).toEqual(expect.any(String));
    const times = auditEvents.nodes.map((n: any) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(auditEvents.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with a keyset cursor without gaps or repeats, including rows with the same timestamp', async () => {
    // Rows written in one transaction share created_at; the id breaks the tie.
    await t.ownerQuery(
      `INSERT INTO audit_events (agency_id, id, actor_label, action, entity_type, created_at)
       SELECT $1, gen_random_uuid(), 'system:test', 'test.tie', 'test', '2020-01-01T00:00:00.123456Z'
         FROM generate_series(1, 5)`,
      [owner.agencyId],
    );
    const all = (await owner.client.ok(AUDIT, { first: 200 })).auditEvents.nodes.map((n: any) => n.id);
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { auditEvents }: any = await owner.client.ok(AUDIT, { first: 2, after });
      paged.push(...auditEvents.nodes.map((n: any) => n.id));
      if (!auditEvents.pageInfo.hasNextPage) break;
      after = auditEvents.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(12);
  });

  it('filters by action, entity, brand, actor and time', async () => {
    const q = async (filter: Record<string, unknown>) =>
      (await owner.client.ok(AUDIT, { filter })).auditEvents.nodes as any[];
    expect(await q({ action: 'brand.create' })).toHaveLength(2);
    expect((await q({ brandId: brandB.id })).map((n) => n.action)).toEqual(['brand.create']);
    expect(await q({ entityType: 'brand', entityId: brandA.id })).toHaveLength(6);
    expect(await q({ actorUserId: owner.userId, action: 'brand.update' })).toHaveLength(5);
    expect(await q({ from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' })).toHaveLength(5);
    expect(await q({ from: new Date(Date.now() + 60_000).toISOString() })).toHaveLength(0);
  });

  it('is for ADMIN and OWNER only; a brand-scoped admin sees agency-wide events and their brands’ only', async () => {
    const manager = await createMember(t, owner.agencyId, 'MANAGER');
    const agent = await createMember(t, owner.agencyId, 'AGENT');
    expect(await manager.client.code(AUDIT)).toBe('FORBIDDEN');
    expect(await agent.client.code(AUDIT)).toBe('FORBIDDEN');

    const scoped = await createMember(t, owner.agencyId, 'ADMIN', [brandB.id]);
    const nodes = (await scoped.client.ok(AUDIT, { first: 200 })).auditEvents.nodes as any[];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.brandId === null || n.brandId === brandB.id)).toBe(true);
  });

  it('rejects bad arguments with BAD_USER_INPUT', async () => {
    for (const variables of [
      { first: 0 },
      { first: 201 },
      { first: 'ten' },
      { after: 'not-a-cursor' },
      { after: 'x'.repeat(1_000_000) },
      { filter: { actorUserId: 'nope' } },
      { filter: { from: 'yesterday' } },
      { filter: { action: 'x'.repeat(1_000_000) } },
      { filter: { unknown: 1 } },
    ]) {
      const r = await owner.client.request(AUDIT, variables);
      expect([JSON.stringify(variables).slice(0, 60), r.errors?.[0].extensions?.code]).toEqual([
        JSON.stringify(variables).slice(0, 60),
        'BAD_USER_INPUT',
      ]);
    }
  });

  describe(crossTenant('auditEvents'), () => {
    it('answers NOT_FOUND for another agency’s or an out-of-scope brand, and never shows another agency’s events', async () => {
      const other = await signUpAgency(t.gql);
      const foreign = await createBrand(other.client, { name: 'Foreign Audit' });
      expect(await owner.client.code(AUDIT, { filter: { brandId: foreign.id } })).toBe('NOT_FOUND');
      const scoped = await createMember(t, owner.agencyId, 'ADMIN', [brandB.id]);
      expect(await scoped.client.code(AUDIT, { filter: { brandId: brandA.id } })).toBe('NOT_FOUND');

      const mine = (await owner.client.ok(AUDIT, { first: 200 })).auditEvents.nodes as any[];
      expect(mine.some((n) => n.entityId === foreign.id)).toBe(false);
      const theirs = (await other.client.ok(AUDIT, { first: 200 })).auditEvents.nodes as any[];
      expect(theirs.map((n) => n.entityId)).toEqual([foreign.id]);
    });
  });
});
