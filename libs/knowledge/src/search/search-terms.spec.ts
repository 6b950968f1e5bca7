import { queryTerm, searchBoxQuery, suggestionQuery, words } from './search-terms';

describe('search terms', () => {
  it('splits Unicode words and normalizes decomposed Vietnamese to NFC', () => {
    expect(words('Đơn hàng của tôi ở đâu?')).toEqual(['đơn', 'hàng', 'của', 'tôi', 'ở', 'đâu']);
    expect(words('nhe\u0302\u0301n')).toEqual(['nhến']);
    expect(words("Where's my e-mail?")).toEqual(['where', 's', 'my', 'e', 'mail']);
  });

  it('matches long words by their stem-like prefix and short words exactly', () => {
    expect(queryTerm('ordered')).toBe('order:*');
    expect(queryTerm('orders')).toBe('order:*');
    expect(queryTerm('zamówienia')).toBe('zamówien:*');
    expect(queryTerm('refund')).toBe('refun:*');
    expect(queryTerm('hàng')).toBe('hàng');
  });

  it('ORs the content words of a message, without function words, single letters or numbers', () => {
    expect(suggestionQuery('Hi! I ordered a jacket (order 12345) and it has not arrived')).toBe(
      'order:* | jacke:* | arriv:*',
    );
    expect(suggestionQuery('Hvor er pakken min? Jeg har ventet i to uker')).toBe('pakke:* | vente:* | uker');
    expect(suggestionQuery('Tôi chưa nhận được đơn hàng')).toBe('chưa | nhận | đơn | hàng');
    expect(suggestionQuery('Hi, thanks!')).toBeNull();
  });

  it('builds a prefix AND query for a search box', () => {
    expect(searchBoxQuery('refund pol')).toBe('refund:* & pol:*');
    expect(searchBoxQuery('the')).toBe('the:*');
    expect(searchBoxQuery('  ')).toBeNull();
  });
});
