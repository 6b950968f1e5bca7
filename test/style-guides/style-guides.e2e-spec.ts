import { insertBrand } from '../channels/channel-helpers';
import { DUPLICATE_BRAND } from '../brands/brand-helpers';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { createMember, Member } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import { CHECK, saveRules, STYLE_GUIDE, UPDATE, VERSIONS } from './style-guide-support';

/** Style guides through GraphQL: versions and history, concurrency, validation, copy, onboarding, access. */
describe('style guides', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let brandA: string;
  let otherBrandA: string;
  let brandB: string;
  let manager: Member;
  let scopedManager: Member;
  let agent: Member;

  beforeAll(async () => {
    t = await startTestApp();
    a = await signUpAgency(t.gql, 'Style A');
    b = await signUpAgency(t.gql, 'Style B');
    brandA = await insertBrand(t, a.agencyId, 'Fjord Coffee');
    otherBrandA = await insertBrand(t, a.agencyId, 'Other');
    brandB = await insertBrand(t, b.agencyId, 'Elsewhere');
    manager = await createMember(t, a.agencyId, 'MANAGER');
    scopedManager = await createMember(t, a.agencyId, 'MANAGER', [otherBrandA]);
    agent = await createMember(t, a.agencyId, 'AGENT');
  });
  afterAll(() => t?.close());

  it('before the first save: version 0, no version id, the default rules (X 280, emoji allowed)', async () => {
    const brand = await insertBrand(t, a.agencyId);
    const { styleGuide } = await agent.client.ok(STYLE_GUIDE, { brandId: brand });
    expect(styleGuide).toMatchObject({ brandId: brand, version: 0, versionId: null, updatedAt: null });
    expect(styleGuide.rules.maxLength).toContainEqual({
      platform: 'X',
      scope: 'PUBLIC',
      max: 280,
      severity: 'BLOCK',
    });
    expect(styleGuide.rules.maxLength).toContainEqual({
      platform: 'X',
      scope: 'PRIVATE',
      max: 10000,
      severity: 'BLOCK',
    });
    expect(styleGuide.rules.emoji).toEqual({ mode: 'ALLOWED', max: null, severity: 'WARN' });
    expect(styleGuide.rules.bannedPhrases).toEqual([]);
  });

  it('every change is a new immutable version; history newest first, paginated; audited', async () => {
    const brand = await insertBrand(t, a.agencyId);
    const v1 = await saveRules(manager.client, brand, { bannedPhrases: [{ phrase: 'billig' }] }, 0);
    const v2 = await saveRules(manager.client, brand, {
      bannedPhrases: [{ phrase: 'billig', replacement: 'rimelig', languages: ['nb'] }],
      neverPromise: [{ phrase: 'refusjon' }],
    });
    const v3 = await saveRules(manager.client, brand, { bannedPhrases: [{ phrase: 'ÅPEN' }] }, 2);
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);

    const { styleGuide } = await agent.client.ok(STYLE_GUIDE, { brandId: brand });
    expect(styleGuide).toMatchObject({ version: 3, versionId: v3.id, updatedByUserId: manager.userId });
    expect(styleGuide.rules.bannedPhrases).toEqual([
      { phrase: 'ÅPEN', replacement: null, languages: [], severity: 'BLOCK' },
    ]);

    const page1 = (await agent.client.ok(VERSIONS, { brandId: brand, first: 2 })).styleGuideVersions;
    expect(page1.nodes.map((n: any) => n.version)).toEqual([3, 2]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await agent.client.ok(VERSIONS, { brandId: brand, first: 2, after: page1.pageInfo.endCursor })
    ).styleGuideVersions;
    expect(page2.nodes.map((n: any) => [n.version, n.rules.bannedPhrases])).toEqual([
      [1, [{ phrase: 'billig' }]],
    ]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const audits = await t.ownerQuery(
      `SELECT entity_id, changes FROM audit_events WHERE brand_id = $1 AND action = 'style_guide.update' ORDER BY created_at`,
      [brand],
    );
    expect(audits.map((r) => r.entity_id)).toEqual([v1.id, v2.id, v3.id]);
    expect(audits[1].changes).toEqual({
      version: 2,
      previousVersion: 1,
      changed: ['bannedPhrases', 'neverPromise'],
    });

    // Versions are immutable in the database too.
    await expect(
      t.ownerQuery(`UPDATE style_guide_versions SET number = 9 WHERE id = $1`, [v1.id]),
    ).rejects.toThrow(/immutable/);
  });

  it('keeps the voice description and examples (free text for people, trimmed, in any language) per version', async () => {
    const brand = await insertBrand(t, a.agencyId);
    const voice = {
      description: '  Varm og direkte; vi sier «du», aldri «De». Emoji sparsomt.  ',
      examples: ['Hei Kari! Pakken din er på vei 📦', 'Dziękujemy za cierpliwość — już sprawdzamy.'],
    };
    const v1 = await saveRules(manager.client, brand, { voice }, 0);
    const { styleGuide } = await agent.client.ok(STYLE_GUIDE, { brandId: brand });
    expect(styleGuide.rules.voice).toEqual({
      description: voice.description.trim(),
      examples: voice.examples,
    });
    await saveRules(manager.client, brand, { voice: { description: 'Formal.', examples: [] } }, 1);
    const { styleGuideVersions } = await agent.client.ok(
      `query($brandId: ID!) { styleGuideVersions(brandId: $brandId, first: 5) { nodes { rules { voice { description } } } } }`,
      { brandId: brand },
    );
    expect(styleGuideVersions.nodes.map((n: any) => n.rules.voice.description)).toEqual([
      'Formal.',
      voice.description.trim(),
    ]);
    expect(v1.version).toBe(1);
  });

  it('a stale expectedVersion is a CONFLICT and writes nothing; the same rules again make no version', async () => {
    const brand = await insertBrand(t, a.agencyId);
    await saveRules(manager.client, brand, { competitors: [{ phrase: 'Acme' }] });
    await saveRules(manager.client, brand, { competitors: [{ phrase: 'Acme' }, { phrase: 'Zendo' }] }, 1);
    const before = await t.count('style_guide_versions WHERE brand_id = $1', [brand]);
    expect(
      await manager.client.code(UPDATE, { input: { brandId: brand, expectedVersion: 1, rules: {} } }),
    ).toBe('CONFLICT');
    const same = await saveRules(manager.client, brand, {
      competitors: [{ phrase: 'Acme' }, { phrase: 'Zendo' }],
    });
    expect(same.version).toBe(2);
    expect(await t.count('style_guide_versions WHERE brand_id = $1', [brand])).toBe(before);
  });

  it('concurrent saves each get their own version number (the pointer row is locked)', async () => {
    const brand = await insertBrand(t, a.agencyId);
    // Even the very first saves race: a loser of the guide row's insert goes again as the next version.
    const first = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        saveRules(manager.client, brand, { competitors: [{ phrase: `C${i}` }] }),
      ),
    );
    expect(first.map((s) => s.version).sort()).toEqual([1, 2, 3]);
    const saves = await Promise.all(
      Array.from({ length: 5 }, (_, i) => saveRules(manager.client, brand, { exclamationMarks: { max: i } })),
    );
    expect(saves.map((s) => s.version).sort()).toEqual([4, 5, 6, 7, 8]);
  });

  it('only MANAGER and above may update (FORBIDDEN for an agent); invalid rules name their field', async () => {
    expect(await agent.client.code(UPDATE, { input: { brandId: brandA, rules: {} } })).toBe('FORBIDDEN');
    const r = await manager.client.request(UPDATE, {
      input: { brandId: brandA, rules: { links: { allowedDomains: ['brand.com', 'http://evil'] } } },
    });
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'rules.links.allowedDomains[1]',
    });
    const r2 = await manager.client.request(UPDATE, {
      input: { brandId: brandA, rules: { maxLength: [{ platform: 'X', max: 0 }] } },
    });
    expect(r2.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'rules.maxLength[0].max',
    });
    expect(await t.count('style_guides WHERE brand_id = $1', [brandA])).toBe(0);
  });

  it('a CLIENT_VIEWER sees reports, not style guides (FORBIDDEN), but may check a draft', async () => {
    const viewer = await createMember(t, a.agencyId, 'CLIENT_VIEWER', [brandA]);
    expect(await viewer.client.code(STYLE_GUIDE, { brandId: brandA })).toBe('FORBIDDEN');
    expect(await viewer.client.code(VERSIONS, { brandId: brandA })).toBe('FORBIDDEN');
    const { checkReply } = await viewer.client.ok(CHECK, { input: { brandId: brandA, body: 'Hi' } });
    expect(checkReply).toMatchObject({ blocked: false, versionId: null });
  });

  it('a duplicated brand gets the style guide as its version 1; onboarding shows "style guide set"', async () => {
    const source = await insertBrand(t, a.agencyId);
    const STEPS = `query($id: ID!) { brand(id: $id) { onboarding { steps { key done } } } }`;
    const step = async (id: string) =>
      (await a.client.ok(STEPS, { id })).brand.onboarding.steps.find((s: any) => s.key === 'STYLE_GUIDE_SET');
    expect(await step(source)).toEqual({ key: 'STYLE_GUIDE_SET', done: false });

    await saveRules(manager.client, source, { bannedPhrases: [{ phrase: 'old' }] });
    await saveRules(manager.client, source, { bannedPhrases: [{ phrase: 'łatwo' }] });
    expect(await step(source)).toEqual({ key: 'STYLE_GUIDE_SET', done: true });

    const { duplicateBrand } = await a.client.ok(DUPLICATE_BRAND, { brandId: source, name: 'Copy' });
    const { styleGuide } = await a.client.ok(STYLE_GUIDE, { brandId: duplicateBrand.id });
    expect(styleGuide.version).toBe(1);
    expect(styleGuide.rules.bannedPhrases.map((p: any) => p.phrase)).toEqual(['łatwo']);
    expect(await step(duplicateBrand.id)).toEqual({ key: 'STYLE_GUIDE_SET', done: true });
  });

  const notFound = async (client: Member['client'], query: string, variables: Record<string, unknown>) =>
    expect(await client.code(query, variables)).toBe('NOT_FOUND');

  describe(crossTenant('styleGuide'), () => {
    it("another agency's brand and an out-of-scope brand → NOT_FOUND", async () => {
      await notFound(manager.client, STYLE_GUIDE, { brandId: brandB });
      await notFound(scopedManager.client, STYLE_GUIDE, { brandId: brandA });
      await notFound(manager.client, STYLE_GUIDE, { brandId: 'not-a-uuid' });
    });
  });

  describe(crossTenant('styleGuideVersions'), () => {
    it("another agency's brand and an out-of-scope brand → NOT_FOUND", async () => {
      await saveRules(b.client, brandB, { competitors: [{ phrase: 'secret' }] });
      await notFound(manager.client, VERSIONS, { brandId: brandB });
      await notFound(scopedManager.client, VERSIONS, { brandId: brandA });
    });
  });

  describe(crossTenant('updateStyleGuide'), () => {
    it("another agency's brand and an out-of-scope brand → NOT_FOUND, nothing written", async () => {
      const before = await t.count('style_guide_versions');
      await notFound(manager.client, UPDATE, { input: { brandId: brandB, rules: {} } });
      await notFound(scopedManager.client, UPDATE, { input: { brandId: brandA, rules: {} } });
      expect(await t.count('style_guide_versions')).toBe(before);
    });
  });

  describe(crossTenant('checkReply'), () => {
    it("another agency's brand and an out-of-scope brand → NOT_FOUND", async () => {
      await notFound(manager.client, CHECK, { input: { brandId: brandB, body: 'Hi' } });
      await notFound(scopedManager.client, CHECK, { input: { brandId: brandA, body: 'Hi' } });
    });
  });
});
