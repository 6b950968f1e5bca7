import { RequestContext, TenantDb } from '@caredesk/core';
import { Brand, BrandCopyRegistry, OnboardingRegistry } from '@caredesk/brands';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import { BRANDS, createBrand, DUPLICATE_BRAND, UPDATE_BRAND } from './brand-helpers';

const ONBOARDING = `query { brands { id name onboarding { completed total done steps { key title done } } } }`;

describe('brand onboarding and duplication', () => {
  let t: TestApp;
  let owner: SignedUp;
  /** Calls to the test's onboarding step: one entry per call, with the brand ids it was asked about. */
  const stepCalls: string[][] = [];
  const copyCalls: Array<{ from: string; to: string; sawNewBrand: boolean }> = [];
  let failCopy = false;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUpAgency(t.gql);
    const db = t.app.get(TenantDb);
    // Stands in for CHANNELS_CONNECTED etc., which other contexts register the same way.
    t.app.get(OnboardingRegistry).register({
      key: 'TEST_STEP',
      title: 'A step done for brands named "Done …"',
      order: 5,
      isDone: async (ctx: RequestContext, brandIds: string[]) => {
        stepCalls.push([...brandIds].sort());
        const rows = await db.run(ctx, (tx) => tx.repo(Brand).findBy({}));
        return new Map(
          rows.filter((b) => brandIds.includes(b.id)).map((b) => [b.id, b.name.startsWith('Done')]),
        );
      },
    });
    t.app.get(BrandCopyRegistry).register({
      key: 'TEST_COPY',
      order: 10,
      copy: async (ctx, from, to) => {
        // The new brand is not committed yet: seeing it proves the provider runs in the same transaction.
        const seen = await db.run(ctx, (tx) => tx.repo(Brand).findOneBy({ id: to }));
        copyCalls.push({ from, to, sawNewBrand: !!seen });
        if (failCopy) throw new Error('copy failed');
      },
    });
  });
  afterAll(() => t.close());

  it('builds the checklist with every registered step, asking each step once per request for all brands', async () => {
    const agency = await signUpAgency(t.gql);
    const a = await createBrand(agency.client, { name: 'Done A' });
    const b = await createBrand(agency.client, {
      name: 'Open B',
      businessHours: [{ day: 'MONDAY', opens: '09:00', closes: '17:00' }],
    });
    await createBrand(agency.client, { name: 'Open C' });

    stepCalls.length = 0;
    const { brands } = await agency.client.ok(ONBOARDING);
    expect(stepCalls).toHaveLength(1);
    expect(stepCalls[0]).toHaveLength(3);
    const byName = Object.fromEntries(brands.map((x: any) => [x.name, x.onboarding]));
    const keys = byName['Done A'].steps.map((s: any) => s.key);
    expect(keys.indexOf('TEST_STEP')).toBeLessThan(keys.indexOf('BUSINESS_HOURS_SET'));
    const step = (name: string, key: string) => byName[name].steps.find((s: any) => s.key === key).done;
    expect(step('Done A', 'TEST_STEP')).toBe(true);
    expect(step('Done A', 'BUSINESS_HOURS_SET')).toBe(false);
    expect(step('Open B', 'BUSINESS_HOURS_SET')).toBe(true);
    expect(step('Open C', 'TEST_STEP')).toBe(false);
    expect(byName['Open C'].completed).toBe(byName['Open C'].steps.filter((s: any) => s.done).length);
    expect(byName['Open C'].total).toBe(byName['Open C'].steps.length);
    expect(byName['Open C'].done).toBe(false);

    // A second request gets a fresh loader (no cache shared between requests).
    await agency.client.ok(UPDATE_BRAND, {
      input: { id: a.id, businessHours: [{ day: 'TUESDAY', opens: '08:00', closes: '12:00' }] },
    });
    stepCalls.length = 0;
    const again = (await agency.client.ok(ONBOARDING)).brands.find((x: any) => x.id === a.id);
    expect(stepCalls).toHaveLength(1);
    expect(again.onboarding.steps.find((s: any) => s.key === 'BUSINESS_HOURS_SET').done).toBe(true);
    expect(b.id).toBeDefined();
  });

  it('asks the steps only about the brands the caller may see', async () => {
    const agency = await signUpAgency(t.gql);
    const a = await createBrand(agency.client, { name: 'Seen' });
    await createBrand(agency.client, { name: 'Unseen' });
    const agent = await createMember(t, agency.agencyId, 'AGENT', [a.id]);
    stepCalls.length = 0;
    await agent.client.ok(ONBOARDING);
    expect(stepCalls).toEqual([[a.id]]);
  });

  it('duplicates settings (not channels) under a new unique slug, runs copy providers in the transaction, and audits', async () => {
    const source = await createBrand(owner.client, {
      name: 'Template Brand',
      timezone: 'Asia/Tokyo',
      languages: ['ja', 'en-GB'],
      businessHours: [{ day: 'WEDNESDAY', opens: '10:00', closes: '18:00' }],
      holidays: [{ date: '2026-01-01', name: 'New Year' }],
      displayName: 'Template',
      logoUrl: 'https://cdn.example.com/t.png',
      primaryColor: '#123456',
    });
    await t.ownerQuery(`UPDATE brands SET settings = '{"tone": "warm"}' WHERE id = $1`, [source.id]);
    await t.ownerQuery(
      `INSERT INTO channels (agency_id, id, brand_id, platform, external_account_id, display_name, credentials_sealed)
       VALUES ($1, gen_random_uuid(), $2, 'X', $3, 'Handle', 'sealed')`,
      [owner.agencyId, source.id, `dup-${source.id}`],
    );

    copyCalls.length = 0;
    const { duplicateBrand: copy } = await owner.client.ok(DUPLICATE_BRAND, {
      brandId: source.id,
      name: 'Template Brand',
    });
    expect(copy.id).not.toBe(source.id);
    expect(copy.slug).toBe('template-brand-2');
    const { id: _a, slug: _b, createdAt: _c, ...sourceSettings } = source;
    const { id: _d, slug: _e, createdAt: _f, ...copySettings } = copy;
    expect(copySettings).toEqual(sourceSettings);
    const [row] = await t.ownerQuery('SELECT settings FROM brands WHERE id = $1', [copy.id]);
    expect(row.settings).toEqual({ tone: 'warm' });
    expect(
      await t.ownerQuery('SELECT count(*)::int AS n FROM channels WHERE brand_id = $1', [copy.id]),
    ).toEqual([{ n: 0 }]);
    expect(copyCalls).toEqual([{ from: source.id, to: copy.id, sawNewBrand: true }]);
    const audit = await t.ownerQuery(`SELECT action, changes FROM audit_events WHERE entity_id = $1`, [
      copy.id,
    ]);
    expect(audit).toHaveLength(1);
    expect(audit[0].action).toBe('brand.duplicate');
    expect(audit[0].changes.fromBrandId).toBe(source.id);
  });

  it('rolls the whole duplicate back when a copy provider fails', async () => {
    const source = await createBrand(owner.client, { name: 'Rollback Source' });
    const before = await t.ownerQuery(
      'SELECT (SELECT count(*)::int FROM brands) AS b, (SELECT count(*)::int FROM audit_events) AS a',
    );
    failCopy = true;
    try {
      const r = await owner.client.request(DUPLICATE_BRAND, { brandId: source.id, name: 'Never' });
      expect(r.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      failCopy = false;
    }
    expect(
      await t.ownerQuery(
        'SELECT (SELECT count(*)::int FROM brands) AS b, (SELECT count(*)::int FROM audit_events) AS a',
      ),
    ).toEqual(before);
  });

  it('lets only ADMIN and OWNER duplicate', async () => {
    const source = await createBrand(owner.client, { name: 'Dup Roles' });
    const manager = await createMember(t, owner.agencyId, 'MANAGER', [source.id]);
    expect(await manager.client.code(DUPLICATE_BRAND, { brandId: source.id, name: 'x' })).toBe('FORBIDDEN');
    const { brands } = await owner.client.ok(BRANDS);
    expect(brands.filter((b: any) => b.name === 'x')).toHaveLength(0);
  });

  describe(crossTenant('duplicateBrand'), () => {
    it('answers NOT_FOUND for another agency’s or an out-of-scope source brand, writing nothing', async () => {
      const other = await signUpAgency(t.gql);
      const foreign = await createBrand(other.client, { name: 'Foreign Source' });
      const mine = await createBrand(owner.client, { name: 'Mine Source' });
      const outOfScope = await createBrand(owner.client, { name: 'Oos Source' });
      const scoped = await createMember(t, owner.agencyId, 'ADMIN', [mine.id]);
      const before = await t.ownerQuery('SELECT count(*)::int AS n FROM brands');
      expect(await owner.client.code(DUPLICATE_BRAND, { brandId: foreign.id, name: 'Stolen' })).toBe(
        'NOT_FOUND',
      );
      expect(await scoped.client.code(DUPLICATE_BRAND, { brandId: outOfScope.id, name: 'Stolen' })).toBe(
        'NOT_FOUND',
      );
      expect(await t.ownerQuery('SELECT count(*)::int AS n FROM brands')).toEqual(before);
    });
  });
});
