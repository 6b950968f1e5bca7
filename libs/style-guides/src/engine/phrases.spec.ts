import { check, spans } from './spec-helpers';
import { Severity, StyleRuleKind } from './style-check.types';

describe('banned phrases, never-promise phrases and competitors', () => {
  const banned = (phrase: string, extra: object = {}) => ({ bannedPhrases: [{ phrase, ...extra }] });

  it('matches whole words only: a banned "ass" hits neither "class" nor "klasse" nor "passé"', () => {
    const body = 'Our class is great, klassen er god, très passé, but ass is not. Ass!';
    const r = check(banned('ass'), body);
    expect(spans(body, r.violations)).toEqual(['ass', 'Ass']);
    expect(r.violations.every((v) => v.rule === StyleRuleKind.BANNED_PHRASE)).toBe(true);
  });

  it('a letter with a diacritic is part of the word, where \\b would see a boundary ("sen" vs "åsen")', () => {
    expect(/\bsen\b/u.test('åsen')).toBe(true); // why \b is not used
    expect(check(banned('sen'), 'på åsen, Łsen, ésen').violations).toEqual([]);
    expect(spans('det er sen', check(banned('sen'), 'det er sen').violations)).toEqual(['sen']);
  });

  it('treats letters with diacritics as word characters (no hit inside "båss" or "aßs")', () => {
    for (const body of ['båss', 'aßs', 'ąss', 'assø', 'ássa']) {
      expect(check(banned('ass'), body).violations).toEqual([]);
    }
  });

  it('folds case across scripts: Norwegian ÅPEN/åpen, Swedish ÄNDÅ, Polish ŁÓDŹ', () => {
    const cases: Array<[string, string, string]> = [
      ['åpen', 'Vi har ÅPEN butikk', 'ÅPEN'],
      ['ÅPEN', 'vi har åpen butikk', 'åpen'],
      ['ändå', 'Det är ÄNDÅ bra', 'ÄNDÅ'],
      ['łódź', 'Sklep w ŁÓDŹ jest otwarty', 'ŁÓDŹ'],
      ['zażółć', 'ZAŻÓŁĆ gęślą jaźń', 'ZAŻÓŁĆ'],
    ];
    for (const [phrase, body, hit] of cases) {
      expect(spans(body, check(banned(phrase), body).violations)).toEqual([hit]);
    }
  });

  it('matches Vietnamese with diacritics, composed (NFC) or decomposed (NFD), and only whole words', () => {
    const rules = { neverPromise: [{ phrase: 'hoàn tiền' }] };
    const nfc = 'Chúng tôi sẽ hoàn tiền cho bạn';
    const nfd = nfc.normalize('NFD');
    expect(spans(nfc, check(rules, nfc).violations)).toEqual(['hoàn tiền']);
    const r = check(rules, nfd);
    expect(r.violations).toHaveLength(1);
    expect(spans(nfd, r.violations)[0].normalize('NFC')).toBe('hoàn tiền');
    // "hoan tien" without diacritics is a different text; "hoàn tiềnx" is not the word.
    expect(check(rules, 'hoan tien').violations).toEqual([]);
    expect(check(rules, 'hoàn tiềnx').violations).toEqual([]);
  });

  it('matches a multi-word phrase across any whitespace, and Indonesian text', () => {
    const rules = { neverPromise: [{ phrase: 'uang kembali' }] };
    const body = 'Kami jamin UANG\n  kembali 100%';
    expect(spans(body, check(rules, body).violations)).toEqual(['UANG\n  kembali']);
  });

  it('never promise is BLOCK by default, banned BLOCK, competitors WARN; the manager may choose', () => {
    const r = check(
      {
        bannedPhrases: [{ phrase: 'cheap', replacement: 'affordable' }],
        neverPromise: [{ phrase: 'refund' }],
        competitors: [{ phrase: 'Acme Care' }, { phrase: 'Zendo', severity: Severity.BLOCK }],
      },
      'A cheap refund, better than acme care or ZENDO.',
    );
    expect(r.violations.map((v) => [v.rule, v.severity])).toEqual([
      [StyleRuleKind.BANNED_PHRASE, Severity.BLOCK],
      [StyleRuleKind.NEVER_PROMISE, Severity.BLOCK],
      [StyleRuleKind.COMPETITOR, Severity.WARN],
      [StyleRuleKind.COMPETITOR, Severity.BLOCK],
    ]);
    expect(r.violations[0].suggestion).toBe('Write "affordable" instead');
    expect(r.blocked).toBe(true);
    expect(r.score).toBe(100 - 25 * 3 - 10);
  });

  it('escapes user phrases: regex syntax in a phrase is plain text', () => {
    const rules = { bannedPhrases: [{ phrase: 'a.b (c)+ [d]' }, { phrase: 'C++' }, { phrase: '$5 off' }] };
    expect(check(rules, 'axb cc d').violations).toEqual([]);
    const body = 'Get a.b (c)+ [d] with C++ and $5 off';
    expect(spans(body, check(rules, body).violations)).toEqual(['a.b (c)+ [d]', 'C++', '$5 off']);
  });

  it('prefers the longest phrase at one position', () => {
    const body = 'Vi gir full refusjon nå';
    const r = check({ neverPromise: [{ phrase: 'refusjon' }, { phrase: 'full refusjon' }] }, body);
    expect(spans(body, r.violations)).toEqual(['full refusjon']);
  });

  it('applies a per-language phrase only to that language, and to replies of unknown language', () => {
    const rules = banned('slut', { languages: ['en'] });
    expect(check(rules, { body: 'Det er slut nu', language: 'sv' }).violations).toEqual([]);
    expect(check(rules, { body: 'what a slut', language: 'en-GB' }).violations).toHaveLength(1);
    expect(check(rules, { body: 'what a slut', language: null }).violations).toHaveLength(1);
    // nb, nn and no are one language for the rules.
    const no = banned('kjempebilling', { languages: ['nb'] });
    expect(check(no, { body: 'kjempebillig? Kjempebilling!', language: 'no' }).violations).toHaveLength(1);
  });

  it('spans are UTF-16 indices into the original text, also after astral characters', () => {
    const body = '👩‍👩‍👧 𝒜 refund';
    const [v] = check({ neverPromise: [{ phrase: 'refund' }] }, body).violations;
    expect([v.start, v.end]).toEqual([body.indexOf('refund'), body.length]);
  });

  // A Vietnamese Windows keyboard types a precomposed vowel and a separate tone mark: "ê" + U+0300.
  const mixed = 'ti\u00EA\u0300n';

  it('matches mixed composed/decomposed text (precomposed vowel + separate tone mark) on banned and never-promise', () => {
    expect(mixed.normalize('NFC')).toBe('tiền');
    expect(mixed).not.toBe('tiền'.normalize('NFD'));
    const body = `Chúng tôi sẽ hoàn ${mixed} ngay, không phải ${mixed}x`;
    const r = check({ neverPromise: [{ phrase: 'hoàn tiền' }], bannedPhrases: [{ phrase: 'ngay' }] }, body);
    expect(spans(body, r.violations)).toEqual([`hoàn ${mixed}`, 'ngay']);
    expect(r.violations.map((v) => v.rule)).toEqual([
      StyleRuleKind.NEVER_PROMISE,
      StyleRuleKind.BANNED_PHRASE,
    ]);
    expect(r.blocked).toBe(true);
    // A phrase stored decomposed meets an NFC body too, and spans after a mixed word stay exact.
    const body2 = `${mixed} ${mixed} hoàn tiền`;
    const r2 = check({ bannedPhrases: [{ phrase: 'hoa\u0300n tie\u0302\u0300n' }] }, body2);
    expect(spans(body2, r2.violations)).toEqual(['hoàn tiền']);
  });

  it('typographic apostrophes and hyphens are the ASCII ones ("We’ll refund" is "we\'ll refund")', () => {
    const rules = { neverPromise: [{ phrase: "we'll refund" }, { phrase: 'e-gavekort' }] };
    for (const body of ['We’ll refund it', 'We‘ll refund it', 'Weʼll refund it', "We'll refund it"]) {
      expect(spans(body, check(rules, body).violations)).toEqual([body.slice(0, 12)]);
    }
    const no = 'Du får et e\u2011gavekort og et E\u2010GAVEKORT';
    expect(spans(no, check(rules, no).violations)).toEqual(['e\u2011gavekort', 'E\u2010GAVEKORT']);
    // And a phrase written with "’" matches a reply typed with "'".
    expect(check({ bannedPhrases: [{ phrase: 'don’t worry' }] }, "Don't worry!").violations).toHaveLength(1);
  });

  it('zero-width spaces and soft hyphens inside a word do not hide it; spans cover them', () => {
    const rules = { neverPromise: [{ phrase: 'refundacja' }, { phrase: 'full refund' }] };
    const body = 'Pełna refun\u00ADdacja, full re\u200Bfund, ok';
    expect(spans(body, check(rules, body).violations)).toEqual(['refun\u00ADdacja', 'full re\u200Bfund']);
    // Competitor names with a word joiner, in Swedish.
    const sv = 'Bättre än Acme\u2060Care?';
    expect(check({ competitors: [{ phrase: 'AcmeCare' }] }, sv).violations).toHaveLength(1);
  });
});
