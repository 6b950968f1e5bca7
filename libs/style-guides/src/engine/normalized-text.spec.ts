import { matchForm, NormalizedText } from './normalized-text';

describe('NormalizedText', () => {
  it('leaves text already in form untouched (same string, same offsets)', () => {
    const t = NormalizedText.forMatching('Dziękujemy, Åse! 👍🏽');
    expect(t.text).toBe('Dziękujemy, Åse! 👍🏽');
    expect(t.span(3, 7)).toEqual([3, 7]);
  });

  it('NFC-normalizes a mixed Vietnamese text and maps spans back to the caller’s offsets', () => {
    const original = 'hoa\u0300n ti\u00EA\u0300n ngay';
    const t = NormalizedText.forMatching(original);
    expect(t.text).toBe('hoàn tiền ngay');
    const at = t.text.indexOf('tiền');
    const [s, e] = t.span(at, at + 'tiền'.length);
    expect(original.slice(s, e)).toBe('ti\u00EA\u0300n');
    const [s2, e2] = t.span(t.text.indexOf('ngay'), t.text.length);
    expect(original.slice(s2, e2)).toBe('ngay');
  });

  it('for matching, removes invisibles and folds apostrophes; for counting, only NFC', () => {
    const original = 'we\u2019ll re\u00ADfund\u200B e\u2011gavekort'.normalize('NFD');
    expect(NormalizedText.forMatching(original).text).toBe("we'll refund e-gavekort");
    expect(NormalizedText.forCounting(original).text).toBe(original.normalize('NFC'));
    expect(matchForm('Don\u2019t')).toBe("Don't");
  });
});
