import { firstFreeSlug, slugFromName, validateSlug } from './slug';

describe('slug', () => {
  it('derives URL-safe slugs from names', () => {
    expect(slugFromName('Café Müller & Söhne')).toBe('cafe-muller-and-sohne');
    expect(slugFromName('  --Hello,   World--  ')).toBe('hello-world');
    expect(slugFromName('日本')).toBe('brand');
    expect(slugFromName('a'.repeat(200)).length).toBeLessThanOrEqual(74);
  });

  it('validates given slugs against the column rule', () => {
    expect(validateSlug('acme-2')).toBe('acme-2');
    for (const bad of ['Acme', 'acme--x', '-acme', 'acme_', '', 'a'.repeat(81)]) {
      expect(() => validateSlug(bad)).toThrow();
    }
  });

  it('picks the first free numeric suffix', () => {
    expect(firstFreeSlug('acme', new Set())).toBe('acme');
    expect(firstFreeSlug('acme', new Set(['acme', 'acme-2', 'acme-4']))).toBe('acme-3');
  });
});
