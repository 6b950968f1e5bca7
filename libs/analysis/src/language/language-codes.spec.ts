import { normaliseLanguageCode } from './language-codes';

describe('normaliseLanguageCode', () => {
  it.each([
    ['en', 'en'],
    ['EN-gb', 'en'],
    ['sv_SE', 'sv'],
    ['nb', 'no'],
    ['nb-NO', 'no'],
    ['nn', 'no'],
    ['no', 'no'],
    ['nob', 'no'],
    ['in', 'id'],
    ['id-ID', 'id'],
    [' vi ', 'vi'],
    ['pl', 'pl'],
  ])('%s → %s', (tag, code) => expect(normaliseLanguageCode(tag)).toBe(code));

  it.each(['', 'und', 'x-klingon', 'e', 'zz1', null, undefined])('%s → null', (tag) =>
    expect(normaliseLanguageCode(tag)).toBeNull(),
  );
});
