import { sameSentText } from './same-sent-text';

describe('sameSentText', () => {
  it('sees through what platforms do to a stored post: &-escapes, t.co links, spacing', () => {
    expect(
      sameSentText(
        'Fixed &amp; shipped &lt;3 see https://t.co/AbC123',
        'Fixed & shipped <3 see https://example.com/x?a=1',
      ),
    ).toBe(true);
    expect(sameSentText('  Tusen takk!\n', 'Tusen takk!')).toBe(true);
  });

  it('tells different texts apart, and nothing from a missing one', () => {
    expect(sameSentText('Tusen takk!', 'Tusen takk')).toBe(false);
    expect(sameSentText('See https://t.co/a', 'See')).toBe(false);
    expect(sameSentText(undefined, '')).toBe(false);
  });
});
