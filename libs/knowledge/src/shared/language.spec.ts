import { AppError } from '@caredesk/core';
import { normalizeLanguage, pickByLanguage, primaryAliases, primaryLanguage } from './language';

describe('language matching', () => {
  const variants = [{ language: 'en' }, { language: 'nb-NO' }, { language: 'pt-BR' }, { language: 'pt-PT' }];

  it('canonicalizes tags and refuses what is not one', () => {
    expect(normalizeLanguage(' EN-gb ')).toBe('en-GB');
    expect(() => normalizeLanguage('not a tag')).toThrow(AppError);
  });

  it('folds Norwegian into Bokmål', () => {
    expect(primaryLanguage('no')).toBe('nb');
    expect(primaryLanguage('nb-NO')).toBe('nb');
    expect(primaryAliases('nb')).toEqual(['nb', 'no']);
    expect(primaryAliases('vi')).toEqual(['vi']);
  });

  it('picks an exact tag, then the same language, in the order of wishes, else the first', () => {
    expect(pickByLanguage(variants, ['pt-PT'])?.language).toBe('pt-PT');
    expect(pickByLanguage(variants, ['pt'])?.language).toBe('pt-BR');
    expect(pickByLanguage(variants, ['no'])?.language).toBe('nb-NO');
    expect(pickByLanguage(variants, [null, 'sv', 'en'])?.language).toBe('en');
    expect(pickByLanguage(variants, ['pl'])?.language).toBe('en');
    expect(pickByLanguage([], ['en'])).toBeNull();
  });
});
