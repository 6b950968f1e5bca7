import { check, spans } from './spec-helpers';
import { normalizeDomain } from './links';
import { Severity, StyleRuleKind } from './style-check.types';

describe('link policy', () => {
  const rules = { links: { allowedDomains: ['brand.com', 'Bråkmakare.no'] } };

  it('allows the listed domains and their subdomains, BLOCKs the rest', () => {
    const body =
      'See https://help.brand.com/a?b=1, www.brand.com, brand.com/x and https://bråkmakare.no. ' +
      'Not https://brand.com.evil.io/x, evilbrand.com or http://198.51.100.7/x!';
    const r = check(rules, body);
    expect(spans(body, r.violations)).toEqual([
      'https://brand.com.evil.io/x',
      'evilbrand.com',
      'http://198.51.100.7/x',
    ]);
    expect(r.violations.every((v) => v.rule === StyleRuleKind.LINK && v.severity === Severity.BLOCK)).toBe(
      true,
    );
    expect(r.violations[0].message).toBe('Links to brand.com.evil.io are not allowed');
  });

  it('does not take e-mail addresses, abbreviations or file names for links', () => {
    expect(
      check(rules, 'Skriv til kundeservice@other.com, f.eks. fil.txt eller np. coś.').violations,
    ).toEqual([]);
  });

  it('an empty allow-list forbids every link; no policy allows any', () => {
    expect(check({ links: { allowedDomains: [] } }, 'see brand.com').violations).toHaveLength(1);
    expect(check({}, 'see https://anything.example').violations).toEqual([]);
  });

  it('parses hosts the WHATWG way: a backslash ends the authority, user info is not the host', () => {
    const body =
      'Se https://evil.com\\@brand.com og https://brand.com@evil.com/x, men https://brand.com\\x er ok';
    const r = check(rules, body);
    expect(spans(body, r.violations)).toEqual([
      'https://evil.com\\@brand.com',
      'https://brand.com@evil.com/x',
    ]);
    expect(r.violations.map((v) => v.message)).toEqual([
      'Links to evil.com are not allowed',
      'Links to evil.com are not allowed',
    ]);
  });

  it('finds bare domains under every TLD (scam.top, evil.fun, sklep.pl, IDN), not abbreviations', () => {
    const body =
      'Kunjungi scam.top atau evil.fun, sklep.pl, cửahàng.vn, rabatt.shop i dag. Kiểm tra.Xong np.';
    const r = check(rules, body);
    expect(spans(body, r.violations)).toEqual([
      'scam.top',
      'evil.fun',
      'sklep.pl',
      'cửahàng.vn',
      'rabatt.shop',
    ]);
    expect(r.violations[3].message).toBe(`Links to ${new URL('http://cửahàng.vn').hostname} are not allowed`);
  });

  it('checks links in the original offsets after decomposed text and zero-width spaces', () => {
    const body = 'Ti\u00EA\u0300n: evil\u200B.io';
    const r = check(rules, body);
    expect(spans(body, r.violations)).toEqual(['evil\u200B.io']);
  });

  it('normalizes domains the manager enters, and refuses what is not a domain', () => {
    expect(normalizeDomain(' Brand.COM. ')).toBe('brand.com');
    expect(normalizeDomain('bråkmakare.no')).toBe('xn--brkmakare-62a.no');
    for (const bad of [
      'https://brand.com',
      'brand',
      '*.brand.com',
      'brand.com/x',
      'br and.com',
      '-x.com',
      '1.2.3.4',
      'brand.com:80',
      '',
    ]) {
      expect(normalizeDomain(bad)).toBeNull();
    }
  });
});
