import { startTestApp, TestApp } from '../support/test-app';
import { CREATE_REPLY, seedKnowledgeAgency, UPDATE_REPLY, variant } from './knowledge.support';

const UPDATE_STYLE_GUIDE = `mutation($input: UpdateStyleGuideInput!) { updateStyleGuide(input: $input) { id version } }`;

describe("canned replies and the brand's style guide", () => {
  let t: TestApp;
  let client: Awaited<ReturnType<typeof seedKnowledgeAgency>>['owner']['client'];
  let brandId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const a = await seedKnowledgeAgency(t, ['en', 'pl'], 1);
    client = a.owner.client;
    brandId = a.brands[0].id;
    await client.ok(UPDATE_STYLE_GUIDE, {
      input: {
        brandId,
        rules: {
          bannedPhrases: [
            { phrase: 'cheap', replacement: 'affordable', severity: 'BLOCK' },
            { phrase: 'tani', replacement: 'przystępny cenowo', languages: ['pl'], severity: 'BLOCK' },
            { phrase: 'Alex', severity: 'BLOCK' },
          ],
          exclamationMarks: { max: 1, severity: 'WARN' },
        },
      },
    });
  });
  afterAll(() => t.close());

  const attempt = (input: Record<string, unknown>) =>
    client.request(CREATE_REPLY, { input: { brandId, title: 'Price', shortcut: 'price', ...input } });

  it('refuses a variant with a BLOCK violation with STYLE_GUIDE_VIOLATION, its language and the violations, writing nothing', async () => {
    const r = await attempt({ variants: [variant('en', 'Our plans are cheap and good.')] });
    const ext = r.errors?.[0]?.extensions as any;
    expect(ext.code).toBe('STYLE_GUIDE_VIOLATION');
    expect(ext.language).toBe('en');
    expect(ext.violations[0]).toMatchObject({
      rule: 'BANNED_PHRASE',
      severity: 'BLOCK',
    });
    expect(ext.violations[0].suggestion).toContain('affordable');
    expect(ext.checkedBody.slice(ext.violations[0].start, ext.violations[0].end)).toBe('cheap');
    expect(await t.count('canned_replies WHERE brand_id = $1', [brandId])).toBe(0);
  });

  it('checks each variant in its own language (a Polish-only rule blocks the Polish variant)', async () => {
    const r = await attempt({
      variants: [variant('en', 'Tani is a word we use.'), variant('pl', 'Nasz plan jest tani.')],
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'STYLE_GUIDE_VIOLATION', language: 'pl' });
  });

  it('checks the text with variables filled in by sample values', async () => {
    // The sample customer is "Alex Morgan": a template that greets by name is checked as "Hi Alex".
    const r = await attempt({ variants: [variant('en', 'Hi {{contact.firstName}}, thanks for writing.')] });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'STYLE_GUIDE_VIOLATION',
      checkedBody: 'Hi Alex, thanks for writing.',
    });
  });

  it('checks the fallbacks too: the variant rendered with every variable missing', async () => {
    const r = await attempt({
      variants: [variant('en', 'Hi, {{agent.firstName | "your cheap helper"}} here.')],
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'STYLE_GUIDE_VIOLATION',
      // With sample values it is "Hi, Sam here." (clean); without, the fallback shows.
      checkedBody: 'Hi, your cheap helper here.',
      violations: [expect.objectContaining({ rule: 'BANNED_PHRASE', start: 9, end: 14 })],
    });
    // A clean fallback saves.
    const ok = await attempt({
      shortcut: 'price-ok',
      variants: [variant('en', 'Hi, {{agent.firstName | "your helper"}} here.')],
    });
    expect(ok.errors).toBeUndefined();
  });

  it('saves a variant with only WARN violations, and refuses an update that breaks the guide', async () => {
    const { createCannedReply: ok } = await client.ok(CREATE_REPLY, {
      input: {
        brandId,
        title: 'Thanks',
        shortcut: 'thanks',
        variants: [variant('en', 'Thank you!! We love hearing from you!')],
      },
    });
    expect(ok.variants).toHaveLength(1);
    expect(
      await client.code(UPDATE_REPLY, {
        input: { id: ok.id, variants: [variant('pl', 'Dziękujemy, jesteśmy tani.')] },
      }),
    ).toBe('STYLE_GUIDE_VIOLATION');
    expect(
      (
        await t.ownerQuery(`SELECT language FROM canned_reply_variants WHERE canned_reply_id = $1`, [ok.id])
      ).map((r) => r.language),
    ).toEqual(['en']);
  });
});
