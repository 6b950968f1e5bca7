import { lexiconSentiment } from './lexicon-sentiment';

const label = (text: string, lang: string | null) => lexiconSentiment(text, lang)?.label;
const score = (text: string, lang: string | null) => lexiconSentiment(text, lang)!.score;

describe('lexiconSentiment', () => {
  it('has nothing to judge in an empty text', () => {
    expect(lexiconSentiment('', 'en')).toBeNull();
    expect(lexiconSentiment('  \n', null)).toBeNull();
  });

  it('keeps the score in -1..1 however loud the text', () => {
    const s = score('WORST WORST WORST terrible awful useless scam!!!!!! 😡😡😡🤬🤬', 'en');
    expect(s).toBeGreaterThanOrEqual(-1);
    expect(s).toBeLessThan(-0.9);
    expect(score('love love love amazing perfect 😍😍😍 !!!', 'en')).toBeLessThanOrEqual(1);
  });

  it('reads emoji-only and emoticon texts', () => {
    expect(label('😍😍', null)).toBe('POSITIVE');
    expect(label('👍', null)).toBe('POSITIVE');
    expect(label('😡😡', null)).toBe('NEGATIVE');
    expect(label(':(', null)).toBe('NEGATIVE');
    expect(label('<3 <3', null)).toBe('POSITIVE');
    expect(label('👍🏽👍🏿', null)).toBe('POSITIVE'); // skin tones score like the base emoji
  });

  it('leaves short texts without sentiment NEUTRAL', () => {
    for (const t of ['ok', 'hi', '?', 'order 55321', 'Hei!', '@acme']) expect(label(t, null)).toBe('NEUTRAL');
  });

  it.each([
    ['en', 'good service', 'not good service'],
    ['no', 'bra service', 'ikke bra service'],
    ['sv', 'nöjd med servicen', 'inte nöjd med servicen'],
    ['pl', 'jestem zadowolony', 'nie jestem zadowolony'],
    ['id', 'pelayanannya bagus', 'pelayanannya gak bagus'],
    ['vi', 'dịch vụ tốt', 'dịch vụ không tốt'],
  ])('%s: negation flips "%s" → "%s"', (lang, plain, negated) => {
    expect(score(plain, lang)).toBeGreaterThan(0);
    expect(score(negated, lang)).toBeLessThan(0);
    expect(label(negated, lang)).toBe('NEGATIVE');
  });

  it('softens a negated negative word instead of making it glowing ("not bad")', () => {
    const notBad = score('not bad', 'en');
    expect(notBad).toBeGreaterThan(0);
    expect(notBad).toBeLessThan(score('good', 'en'));
  });

  it('ends the negation with its clause', () => {
    // "Not refunded. Fraud!" — the negator must not reach "fraud" and turn it positive.
    expect(label('Bị trừ tiền hai lần mà không hoàn tiền. Lừa đảo!', 'vi')).toBe('NEGATIVE');
    expect(label('Saldo kepotong dua kali dan ga mau refund. Penipuan!', 'id')).toBe('NEGATIVE');
  });

  it('strengthens with intensifiers before and after the word', () => {
    expect(score('very good', 'en')).toBeGreaterThan(score('good', 'en'));
    expect(score('bagus banget', 'id')).toBeGreaterThan(score('bagus', 'id'));
    expect(score('tốt quá', 'vi')).toBeGreaterThan(score('tốt', 'vi'));
    expect(score('quá tệ', 'vi')).toBeLessThan(score('tệ', 'vi'));
    expect(score('bardzo dobry', 'pl')).toBeGreaterThan(score('dobry', 'pl'));
  });

  it('lets a word that can intensify stand for itself when alone ("Super!")', () => {
    expect(label('Super!', 'pl')).toBe('POSITIVE');
    expect(score('super obsługa', 'pl')).toBeGreaterThan(0);
  });

  it('weighs what follows "but" more', () => {
    expect(label('The staff were nice but the app is broken and useless', 'en')).toBe('NEGATIVE');
    expect(label('Pakken var litt forsinket, men kjempefornøyd med kvaliteten', 'no')).toBe('POSITIVE');
  });

  it('matches inflected forms through stems and Vietnamese multi-syllable words as phrases', () => {
    expect(label('Rozczarowana jakością', 'pl')).toBe('NEGATIVE');
    expect(label('Rozczarowany obsługą', 'pl')).toBe('NEGATIVE');
    expect(label('Tuyệt vời', 'vi')).toBe('POSITIVE');
    expect(label('Thất vọng', 'vi')).toBe('NEGATIVE');
  });

  it('reads English inside another language (code-switching)', () => {
    expect(label('Paketnya telat, worst experience', 'id')).toBe('NEGATIVE');
  });

  it('uses every lexicon when the language is unknown', () => {
    expect(label('Elendig kundeservice', null)).toBe('NEGATIVE');
    expect(label('Dziękuję, świetna obsługa', null)).toBe('POSITIVE');
  });
});
