import { signUpAgency, SignedUp } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { createBrand, CREATE_BRAND, DUPLICATE_BRAND, UPDATE_BRAND, VALID_BRAND } from './brand-helpers';

const MB = 'x'.repeat(1_000_000);

/** Bad input for every brand mutation: a coded error and nothing written (no brand, no audit row). */
describe('brand input validation', () => {
  let t: TestApp;
  let owner: SignedUp;
  let existing: any;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUpAgency(t.gql);
    existing = await createBrand(owner.client, { name: 'Existing' });
  });
  afterAll(() => t.close());

  const snapshot = () =>
    t.ownerQuery(`SELECT (SELECT count(*)::int FROM brands) AS brands, (SELECT count(*)::int FROM audit_events) AS audit,
                         (SELECT md5(string_agg(b::text, ',' ORDER BY id)) FROM brands b) AS content`);

  async function expectRejected(query: string, variables: Record<string, unknown>, field?: string) {
    const before = await snapshot();
    const r = await owner.client.request(query, variables);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    if (field) expect(r.errors?.[0].extensions?.field).toBe(field);
    expect(await snapshot()).toEqual(before);
  }

  const create = (patch: Record<string, unknown>) => ({ input: { ...VALID_BRAND, ...patch } });
  const update = (patch: Record<string, unknown>) => ({ input: { id: existing.id, ...patch } });
  const window = (day: string, opens: string, closes: string) => ({ day, opens, closes });

  const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['an empty name', { name: '' }, undefined],
    ['a blank name', { name: '   ' }, 'name'],
    ['a 1 MB name', { name: MB }, undefined],
    ['a name of the wrong type', { name: 42 }, undefined],
    ['an invalid timezone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['an empty timezone', { timezone: '' }, 'timezone'],
    ['a 1 MB timezone', { timezone: MB }, undefined],
    ['a bad language tag', { languages: ['en_US'] }, 'languages'],
    ['no languages', { languages: [] }, 'languages'],
    ['repeated languages', { languages: ['en-us', 'EN-US'] }, 'languages'],
    ['languages of the wrong type', { languages: [1] }, undefined],
    [
      'overlapping windows',
      { businessHours: [window('MONDAY', '09:00', '13:00'), window('MONDAY', '12:00', '17:00')] },
      'businessHours',
    ],
    [
      'a window closing before it opens',
      { businessHours: [window('MONDAY', '17:00', '09:00')] },
      'businessHours',
    ],
    ['a malformed time', { businessHours: [window('MONDAY', '9am', '17:00')] }, 'businessHours'],
    ['an unknown DayOfWeek', { businessHours: [window('FUNDAY', '09:00', '17:00')] }, undefined],
    ['a 1 MB time', { businessHours: [window('MONDAY', MB, '17:00')] }, undefined],
    ['a non-calendar holiday', { holidays: [{ date: '2025-02-30' }] }, 'holidays'],
    [
      'a repeated holiday',
      { holidays: [{ date: '2025-12-25' }, { date: '2025-12-25', name: 'again' }] },
      'holidays',
    ],
    ['a bad colour', { primaryColor: 'red' }, 'primaryColor'],
    ['a 7-char non-hex colour', { primaryColor: '#GGGGGG' }, 'primaryColor'],
    ['an http logo URL', { logoUrl: 'http://example.com/logo.png' }, 'logoUrl'],
    ['a non-URL logo', { logoUrl: 'not a url' }, 'logoUrl'],
    ['a too-long logo URL', { logoUrl: `https://example.com/${'a'.repeat(2100)}` }, undefined],
    ['a 1 MB display name', { displayName: MB }, undefined],
    ['a malformed slug', { slug: 'Not A Slug' }, 'slug'],
    ['an empty slug', { slug: '' }, 'slug'],
  ];

  it.each(cases)('createBrand rejects %s', async (_label, patch, field) => {
    await expectRejected(CREATE_BRAND, create(patch), field);
  });

  it.each(cases)('updateBrand rejects %s', async (_label, patch, field) => {
    await expectRejected(UPDATE_BRAND, update(patch), field);
  });

  it('createBrand rejects a missing required field and an unknown field', async () => {
    await expectRejected(CREATE_BRAND, { input: { name: 'x', languages: ['en'] } });
    await expectRejected(CREATE_BRAND, create({ agencyId: owner.agencyId }));
  });

  it('updateBrand rejects clearing required fields', async () => {
    for (const field of ['name', 'timezone', 'languages', 'slug']) {
      await expectRejected(UPDATE_BRAND, update({ [field]: null }), field);
    }
  });

  it('duplicateBrand rejects an empty, blank, 1 MB or wrongly typed name', async () => {
    await expectRejected(DUPLICATE_BRAND, { brandId: existing.id, name: '   ' }, 'name');
    await expectRejected(DUPLICATE_BRAND, { brandId: existing.id, name: '' }, 'name');
    await expectRejected(DUPLICATE_BRAND, { brandId: existing.id, name: MB });
    await expectRejected(DUPLICATE_BRAND, { brandId: existing.id, name: 7 });
  });
});
