import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import {
  ARCHIVE_BRAND,
  BRAND,
  BRANDS,
  createBrand,
  CREATE_BRAND,
  RESTORE_BRAND,
  UPDATE_BRAND,
  VALID_BRAND,
} from './brand-helpers';

describe('brands', () => {
  let t: TestApp;
  let owner: SignedUp;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUpAgency(t.gql);
  });
  afterAll(() => t.close());

  const auditRows = (entityId: string) =>
    t.ownerQuery(
      'SELECT action, changes, actor_user_id FROM audit_events WHERE entity_id = $1 ORDER BY created_at',
      [entityId],
    );

  it('creates a brand with every setting, canonicalised, and audits it', async () => {
    const brand = await createBrand(owner.client, {
      name: '  Café Müller & Söhne ',
      languages: ['EN-us', 'de'],
      businessHours: [
        { day: 'MONDAY', opens: '13:00', closes: '17:30' },
        { day: 'MONDAY', opens: '08:00', closes: '12:00' },
        { day: 'SUNDAY', opens: '10:00', closes: '24:00' },
      ],
      holidays: [{ date: '2025-12-25', name: 'Christmas' }, { date: '2024-02-29' }],
      logoUrl: 'https://cdn.example.com/logo.png',
      primaryColor: '#AABBCC',
    });
    expect(brand).toMatchObject({
      name: 'Café Müller & Söhne',
      slug: 'cafe-muller-and-sohne',
      timezone: 'Europe/Berlin',
      languages: ['en-US', 'de'],
      businessHours: [
        { day: 'MONDAY', opens: '08:00', closes: '12:00' },
        { day: 'MONDAY', opens: '13:00', closes: '17:30' },
        { day: 'SUNDAY', opens: '10:00', closes: '24:00' },
      ],
      holidays: [
        { date: '2024-02-29', name: null },
        { date: '2025-12-25', name: 'Christmas' },
      ],
      whiteLabel: {
        displayName: 'Café Müller & Söhne',
        logoUrl: 'https://cdn.example.com/logo.png',
        primaryColor: '#aabbcc',
      },
      archivedAt: null,
    });
    const [row] = await t.ownerQuery('SELECT business_hours FROM brands WHERE id = $1', [brand.id]);
    expect(row.business_hours[0]).toEqual({ day: 1, opens: '08:00', closes: '12:00' });
    const audit = await auditRows(brand.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'brand.create', actor_user_id: owner.userId });
    expect(audit[0].changes).toMatchObject({ name: 'Café Müller & Söhne', slug: 'cafe-muller-and-sohne' });
  });

  it('derives unique slugs with a numeric suffix, and answers CONFLICT for a taken given slug', async () => {
    const a = await createBrand(owner.client, { name: 'Slug Test' });
    const b = await createBrand(owner.client, { name: 'Slug  test!' });
    const c = await createBrand(owner.client, { name: 'Slug Test' });
    expect([a.slug, b.slug, c.slug]).toEqual(['slug-test', 'slug-test-2', 'slug-test-3']);
    const chosen = await createBrand(owner.client, { name: 'Anything', slug: 'my-brand' });
    expect(chosen.slug).toBe('my-brand');
    const before = await t.ownerQuery('SELECT count(*)::int AS n FROM brands');
    expect(await owner.client.code(CREATE_BRAND, { input: { ...VALID_BRAND, slug: 'slug-test' } })).toBe(
      'CONFLICT',
    );
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM brands')).toEqual(before);
    // Slugs are per agency: another agency may use the same one.
    const other = await signUpAgency(t.gql);
    expect((await createBrand(other.client, { name: 'x', slug: 'my-brand' })).slug).toBe('my-brand');
    // A name with no Latin letters still gets a slug.
    expect((await createBrand(owner.client, { name: '日本' })).slug).toMatch(/^brand(-\d+)?$/);
  });

  it('updates only the given fields, clears optional ones with null, and audits the diff', async () => {
    const brand = await createBrand(owner.client, {
      name: 'Update Me',
      displayName: 'Shown',
      primaryColor: '#000000',
    });
    const { updateBrand } = await owner.client.ok(UPDATE_BRAND, {
      input: {
        id: brand.id,
        name: 'Updated',
        timezone: 'America/New_York',
        displayName: null,
        businessHours: [{ day: 'FRIDAY', opens: '09:00', closes: '17:00' }],
      },
    });
    expect(updateBrand).toMatchObject({
      name: 'Updated',
      slug: 'update-me',
      timezone: 'America/New_York',
      languages: ['de-DE', 'en'],
      whiteLabel: { displayName: 'Updated', primaryColor: '#000000' },
      businessHours: [{ day: 'FRIDAY', opens: '09:00', closes: '17:00' }],
    });
    const audit = await auditRows(brand.id);
    expect(audit.map((a) => a.action)).toEqual(['brand.create', 'brand.update']);
    expect(Object.keys(audit[1].changes).sort()).toEqual([
      'businessHours',
      'displayName',
      'name',
      'timezone',
    ]);
    expect(audit[1].changes.name).toEqual({ from: 'Update Me', to: 'Updated' });

    // Changing the slug to a taken one is a CONFLICT; to a free one works.
    await createBrand(owner.client, { name: 'Taken Slug' });
    expect(await owner.client.code(UPDATE_BRAND, { input: { id: brand.id, slug: 'taken-slug' } })).toBe(
      'CONFLICT',
    );
    const { updateBrand: renamed } = await owner.client.ok(UPDATE_BRAND, {
      input: { id: brand.id, slug: 'fresh' },
    });
    expect(renamed.slug).toBe('fresh');
    // Required fields cannot be cleared.
    const r = await owner.client.request(UPDATE_BRAND, { input: { id: brand.id, timezone: null } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timezone' });
  });

  it("sets, keeps, clears and validates the brand's DM reopen window (settings.reopenWindowHours), audited", async () => {
    const brand = await createBrand(owner.client, { name: 'Reopen Window', reopenWindowHours: 2 });
    expect(brand.reopenWindowHours).toBe(2);
    const [row] = await t.ownerQuery(`SELECT settings FROM brands WHERE id = $1`, [brand.id]);
    expect(row.settings).toEqual({ reopenWindowHours: 2 }); // where ingest reads it
    // Another module's key in the same document is left alone by an update.
    await t.ownerQuery(`UPDATE brands SET settings = settings || '{"other": true}' WHERE id = $1`, [
      brand.id,
    ]);
    const update = async (input: Record<string, unknown>) =>
      (await owner.client.ok(UPDATE_BRAND, { input: { id: brand.id, ...input } })).updateBrand;
    expect((await update({ reopenWindowHours: 0 })).reopenWindowHours).toBe(0);
    expect((await update({ name: 'Reopen Window 2' })).reopenWindowHours).toBe(0);
    expect((await update({ reopenWindowHours: null })).reopenWindowHours).toBeNull();
    const [after] = await t.ownerQuery(`SELECT settings FROM brands WHERE id = $1`, [brand.id]);
    expect(after.settings).toEqual({ other: true });
    const audit = await auditRows(brand.id);
    expect(audit[0].changes.reopenWindowHours).toBe(2);
    expect(audit.map((a) => a.changes.reopenWindowHours).slice(1)).toEqual([
      { from: 2, to: 0 },
      undefined,
      { from: 0, to: null },
    ]);
    for (const bad of [-1, 8761]) {
      const r = await owner.client.request(UPDATE_BRAND, { input: { id: brand.id, reopenWindowHours: bad } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reopenWindowHours' });
      const c = await owner.client.request(CREATE_BRAND, {
        input: { ...VALID_BRAND, reopenWindowHours: bad },
      });
      expect(c.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reopenWindowHours' });
    }
    expect(await owner.client.code(UPDATE_BRAND, { input: { id: brand.id, reopenWindowHours: 1.5 } })).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('archives and restores, hiding archived brands unless asked, idempotently', async () => {
    const brand = await createBrand(owner.client, { name: 'Archive Me' });
    const { archiveBrand } = await owner.client.ok(ARCHIVE_BRAND, { id: brand.id });
    expect(archiveBrand.archivedAt).not.toBeNull();
    await owner.client.ok(ARCHIVE_BRAND, { id: brand.id });
    let { brands } = await owner.client.ok(BRANDS);
    expect(brands.map((b: any) => b.id)).not.toContain(brand.id);
    ({ brands } = await owner.client.ok(BRANDS, { all: true }));
    expect(brands.map((b: any) => b.id)).toContain(brand.id);
    expect((await owner.client.ok(BRAND, { id: brand.id })).brand.archivedAt).not.toBeNull();

    const { restoreBrand } = await owner.client.ok(RESTORE_BRAND, { id: brand.id });
    expect(restoreBrand.archivedAt).toBeNull();
    ({ brands } = await owner.client.ok(BRANDS));
    expect(brands.map((b: any) => b.id)).toContain(brand.id);
    expect((await auditRows(brand.id)).map((a) => a.action)).toEqual([
      'brand.create',
      'brand.archive',
      'brand.restore',
    ]);
  });

  it('lets only ADMIN and OWNER change brands; AGENT and MANAGER get FORBIDDEN and write nothing', async () => {
    const brand = await createBrand(owner.client, { name: 'Roles' });
    const admin = await createMember(t, owner.agencyId, 'ADMIN');
    const manager = await createMember(t, owner.agencyId, 'MANAGER', [brand.id]);
    const agent = await createMember(t, owner.agencyId, 'AGENT', [brand.id]);
    expect((await createBrand(admin.client, { name: 'By Admin' })).name).toBe('By Admin');

    const before = await t.ownerQuery('SELECT count(*)::int AS n FROM brands');
    for (const m of [manager, agent]) {
      expect(await m.client.code(CREATE_BRAND, { input: VALID_BRAND })).toBe('FORBIDDEN');
      expect(await m.client.code(UPDATE_BRAND, { input: { id: brand.id, name: 'x' } })).toBe('FORBIDDEN');
      expect(await m.client.code(ARCHIVE_BRAND, { id: brand.id })).toBe('FORBIDDEN');
      expect(await m.client.code(RESTORE_BRAND, { id: brand.id })).toBe('FORBIDDEN');
    }
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM brands')).toEqual(before);
    const [row] = await t.ownerQuery('SELECT name FROM brands WHERE id = $1', [brand.id]);
    expect(row.name).toBe('Roles');
  });

  it('refuses adding brands to an admin limited to some brands (they could not see the new one)', async () => {
    const brand = await createBrand(owner.client, { name: 'Scoped Admin Home' });
    const scopedAdmin = await createMember(t, owner.agencyId, 'ADMIN', [brand.id]);
    const before = await t.ownerQuery('SELECT count(*)::int AS n FROM brands');
    expect(await scopedAdmin.client.code(CREATE_BRAND, { input: VALID_BRAND })).toBe('FORBIDDEN');
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM brands')).toEqual(before);
    // …while the brands in their scope stay theirs to edit.
    const updated = await scopedAdmin.client.ok(UPDATE_BRAND, { input: { id: brand.id, name: 'Renamed' } });
    expect(updated.updateBrand.name).toBe('Renamed');
  });

  it('lists and shows only the brands in the caller’s scope; a CLIENT_VIEWER sees their one brand', async () => {
    const agency = await signUpAgency(t.gql);
    const a = await createBrand(agency.client, { name: 'Scope A' });
    const b = await createBrand(agency.client, { name: 'Scope B' });
    const c = await createBrand(agency.client, { name: 'Scope C' });
    const agent = await createMember(t, agency.agencyId, 'AGENT', [a.id, b.id]);
    const viewer = await createMember(t, agency.agencyId, 'CLIENT_VIEWER', [c.id]);

    expect((await agency.client.ok(BRANDS)).brands.map((x: any) => x.name)).toEqual([
      'Scope A',
      'Scope B',
      'Scope C',
    ]);
    expect((await agent.client.ok(BRANDS)).brands.map((x: any) => x.name)).toEqual(['Scope A', 'Scope B']);
    expect((await viewer.client.ok(BRANDS)).brands.map((x: any) => x.name)).toEqual(['Scope C']);
    expect((await agent.client.ok(BRAND, { id: a.id })).brand.name).toBe('Scope A');
    expect(await agent.client.code(BRAND, { id: c.id })).toBe('NOT_FOUND');
    expect(await viewer.client.code(BRAND, { id: a.id })).toBe('NOT_FOUND');
  });

  describe(crossTenant('brand'), () => {
    it('answers NOT_FOUND for another agency’s brand, an out-of-scope brand and a malformed id', async () => {
      const other = await signUpAgency(t.gql);
      const foreign = await createBrand(other.client, { name: 'Foreign' });
      const mine = await createBrand(owner.client, { name: 'Mine' });
      const scoped = await createMember(t, owner.agencyId, 'ADMIN', [mine.id]);
      const outOfScope = await createBrand(owner.client, { name: 'Out Of Scope' });
      expect(await owner.client.code(BRAND, { id: foreign.id })).toBe('NOT_FOUND');
      expect(await scoped.client.code(BRAND, { id: outOfScope.id })).toBe('NOT_FOUND');
      expect(await owner.client.code(BRAND, { id: 'not-a-uuid' })).toBe('NOT_FOUND');
      // Lists never include another agency's brands either.
      const { brands } = await owner.client.ok(BRANDS, { all: true });
      expect(brands.map((x: any) => x.id)).not.toContain(foreign.id);
    });
  });

  describe(crossTenant('updateBrand'), () => {
    it('answers NOT_FOUND and changes nothing for another agency’s or an out-of-scope brand', async () => {
      const other = await signUpAgency(t.gql);
      const foreign = await createBrand(other.client, { name: 'Foreign Update' });
      const mine = await createBrand(owner.client, { name: 'Mine Update' });
      const outOfScope = await createBrand(owner.client, { name: 'Oos Update' });
      const scoped = await createMember(t, owner.agencyId, 'ADMIN', [mine.id]);
      expect(await owner.client.code(UPDATE_BRAND, { input: { id: foreign.id, name: 'Hijacked' } })).toBe(
        'NOT_FOUND',
      );
      expect(await scoped.client.code(UPDATE_BRAND, { input: { id: outOfScope.id, name: 'Hijacked' } })).toBe(
        'NOT_FOUND',
      );
      const rows = await t.ownerQuery('SELECT name FROM brands WHERE id = ANY($1)', [
        [foreign.id, outOfScope.id],
      ]);
      expect(rows.map((r) => r.name).sort()).toEqual(['Foreign Update', 'Oos Update']);
    });
  });

  describe(crossTenant('archiveBrand'), () => {
    it('answers NOT_FOUND for another agency’s or an out-of-scope brand', async () => {
      const other = await signUpAgency(t.gql);
      const foreign = await createBrand(other.client, { name: 'Foreign Archive' });
      const mine = await createBrand(owner.client, { name: 'Mine Archive' });
      const outOfScope = await createBrand(owner.client, { name: 'Oos Archive' });
      const scoped = await createMember(t, owner.agencyId, 'ADMIN', [mine.id]);
      expect(await owner.client.code(ARCHIVE_BRAND, { id: foreign.id })).toBe('NOT_FOUND');
      expect(await scoped.client.code(ARCHIVE_BRAND, { id: outOfScope.id })).toBe('NOT_FOUND');
      const rows = await t.ownerQuery('SELECT archived_at FROM brands WHERE id = ANY($1)', [
        [foreign.id, outOfScope.id],
      ]);
      expect(rows).toEqual([{ archived_at: null }, { archived_at: null }]);
    });
  });

  describe(crossTenant('restoreBrand'), () => {
    it('answers NOT_FOUND for another agency’s or an out-of-scope brand', async () => {
      const other = await signUpAgency(t.gql);
      const foreign = await createBrand(other.client, { name: 'Foreign Restore' });
      await other.client.ok(ARCHIVE_BRAND, { id: foreign.id });
      const mine = await createBrand(owner.client, { name: 'Mine Restore' });
      const outOfScope = await createBrand(owner.client, { name: 'Oos Restore' });
      await owner.client.ok(ARCHIVE_BRAND, { id: outOfScope.id });
      const scoped = await createMember(t, owner.agencyId, 'ADMIN', [mine.id]);
      expect(await owner.client.code(RESTORE_BRAND, { id: foreign.id })).toBe('NOT_FOUND');
      expect(await scoped.client.code(RESTORE_BRAND, { id: outOfScope.id })).toBe('NOT_FOUND');
      const rows = await t.ownerQuery('SELECT archived_at FROM brands WHERE id = ANY($1)', [
        [foreign.id, outOfScope.id],
      ]);
      expect(rows.every((r) => r.archived_at !== null)).toBe(true);
    });
  });
});
