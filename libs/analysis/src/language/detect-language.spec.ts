import { detectLanguage } from './detect-language';

describe('detectLanguage', () => {
  it.each([
    ['Worst customer service ever, nobody answers the phone', 'en'],
    ['Tusen takk for rask hjelp, dere er best', 'no'],
    ['Tack så mycket för snabb hjälp, ni är bäst', 'sv'],
    ['Dziękuję za szybką pomoc, jesteście najlepsi', 'pl'],
    ['Makasih banyak kak, pelayanannya cepet banget', 'id'],
    ['Cảm ơn shop nhiều, hỗ trợ nhanh lắm', 'vi'],
  ])('%s → %s', (text, code) => expect(detectLanguage(text)).toBe(code));

  it.each([
    '',
    '   ',
    'ok',
    'OK!',
    '👍',
    '😍😍😍',
    '@acme ??',
    'https://example.com/a/very/long/path',
    '#1 !!',
    '10/10',
  ])('too little text to tell: %j → null', (text) => expect(detectLanguage(text)).toBeNull());

  it('ignores links, handles and e-mail addresses when judging', () => {
    expect(
      detectLanguage(
        '@acme_support_international https://acme.example/en/help Hvorfor svarer ingen på meldingen min?',
      ),
    ).toBe('no');
  });

  it('answers in our convention, never nb/nn', () => {
    expect(detectLanguage('Jeg har ventet i en uke på svar fra kundeservice', { hints: ['no'] })).toBe('no');
  });

  it("considers a brand's extra language given as a hint", () => {
    expect(detectLanguage('Vielen Dank für die schnelle Hilfe, ihr seid super')).not.toBe('de');
    expect(detectLanguage('Vielen Dank für die schnelle Hilfe, ihr seid super', { hints: ['de'] })).toBe(
      'de',
    );
  });
});
