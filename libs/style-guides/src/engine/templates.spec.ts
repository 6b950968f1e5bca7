import { check, spans } from './spec-helpers';
import { Severity, StyleRuleKind } from './style-check.types';

describe('greeting and sign-off templates', () => {
  const greeting = (template: string, extra: object = {}) => ({
    greeting: { templates: [{ template, ...extra }] },
  });

  it('accepts the greeting with the variable as a wildcard, case-insensitively', () => {
    const rules = greeting('Hei {{contact.firstName}},');
    expect(check(rules, 'Hei Åse,\nTakk for meldingen.').violations).toEqual([]);
    expect(check(rules, '  hei Ola Nordmann, takk!').violations).toEqual([]);
    expect(check(rules, 'HEI ØYSTEIN, takk').violations).toEqual([]);
  });

  it('flags a missing greeting on the first line, WARN by default, suggesting it with the name', () => {
    const body = 'Takk for meldingen.\nVi svarer snart.';
    const r = check(greeting('Hei {{contact.firstName}},'), { body, contactName: 'Åse Berg' });
    expect(r.violations).toEqual([
      expect.objectContaining({
        rule: StyleRuleKind.GREETING,
        severity: Severity.WARN,
        suggestion: 'Start with "Hei Åse,"',
      }),
    ]);
    expect(spans(body, r.violations)).toEqual(['Takk for meldingen.']);
  });

  it('does not take a longer word for the greeting ("Hi" is not "History")', () => {
    expect(check(greeting('Hi'), 'History lesson').violations).toHaveLength(1);
    expect(check(greeting('Hi'), 'Hi! Thanks').violations).toEqual([]);
  });

  it('a template ending in a variable needs the whole name word', () => {
    const rules = greeting('Cześć {{contact.firstName}}');
    expect(check(rules, 'Cześć Łukasz, dziękujemy').violations).toEqual([]);
    expect(check(rules, 'Cześć').violations).toHaveLength(1);
  });

  it('applies templates per language and kind, any applicable one will do', () => {
    const rules = {
      greeting: {
        templates: [
          { template: 'Hej {{contact.firstName}}', languages: ['sv'] },
          { template: 'Hi {{contact.firstName}}', languages: ['en'] },
          { template: 'Dear {{contact.name}}', kinds: ['EMAIL' as const] },
        ],
      },
    };
    expect(check(rules, { body: 'Hej Åsa!', language: 'sv' }).violations).toEqual([]);
    expect(check(rules, { body: 'Hi Åsa!', language: 'sv', kind: 'DM' }).violations).toHaveLength(1);
    expect(check(rules, { body: 'Dear Åsa Ek,', language: 'sv', kind: 'EMAIL' }).violations).toEqual([]);
    // Unknown language: every template applies.
    expect(check(rules, { body: 'Hi Åsa!' }).violations).toEqual([]);
    // Only rules for other languages: nothing to require.
    expect(
      check(
        { greeting: { templates: [{ template: 'Hej', languages: ['sv'] }] } },
        { body: 'Xin chào', language: 'vi' },
      ).violations,
    ).toEqual([]);
  });

  it('requires the sign-off at the end, spanning the last line when missing', () => {
    const rules = {
      signOff: {
        templates: [{ template: 'Hilsen {{agent.firstName}}, {{brand.name}}' }],
        severity: Severity.BLOCK,
      },
    };
    expect(check(rules, 'Takk!\nHilsen Kari, Bråkmakare AS\n').violations).toEqual([]);
    const body = 'Takk!\nHilsen Kari, Bråkmakare AS\nPS: ring oss';
    const r = check(rules, body);
    expect(r.violations.map((v) => [v.rule, v.severity])).toEqual([[StyleRuleKind.SIGN_OFF, Severity.BLOCK]]);
    expect(spans(body, r.violations)).toEqual(['PS: ring oss']);
  });

  it('matches a sign-off over two lines and with Vietnamese diacritics', () => {
    const rules = { signOff: { templates: [{ template: 'Trân trọng,\n{{agent.firstName}}' }] } };
    expect(check(rules, 'Cảm ơn bạn.\nTrân trọng,\nHùng').violations).toEqual([]);
    expect(check(rules, 'Cảm ơn bạn.\nTRÂN TRỌNG, Hùng'.normalize('NFD')).violations).toEqual([]);
  });

  it('greeting, sign-off and the customer name match across composed/decomposed mixes, spans in the original', () => {
    const mixed = (t: string) => t.replace(/ề/g, 'ê\u0300').replace(/ơ/g, 'o\u031B');
    const rules = {
      greeting: { templates: [{ template: 'Chào {{contact.firstName}},' }] },
      signOff: { templates: [{ template: 'Trân trọng, {{agent.firstName}}' }] },
      customerNameInDirectMessages: { required: true },
    };
    const body = mixed('Chào Nguyễn Thị Hiền,\nCảm ơn bạn.\nTrân trọng, Tuấn');
    const subject = { body, kind: 'DM' as const, contactName: 'Hiền Nguyễn' };
    expect(check(rules, subject).violations).toEqual([]);
    // Name typed decomposed, body composed: still the same name.
    expect(
      check(rules, { ...subject, body: body.normalize('NFC'), contactName: 'Hie\u0302\u0300n' }).violations,
    ).toEqual([]);
    // Missing sign-off: the span is the last line of the caller's (mixed) text.
    const unsigned = mixed('Chào Hiền,\nCảm ơn bạn, chúc ngày tốt lành ề');
    const r = check(rules, { ...subject, body: unsigned });
    expect(r.violations.map((v) => v.rule)).toEqual([StyleRuleKind.SIGN_OFF]);
    expect(spans(unsigned, r.violations)).toEqual([unsigned.split('\n')[1]]);
  });

  it('typographic apostrophes in a template or reply are the ASCII one (“We’re here”)', () => {
    const rules = { signOff: { templates: [{ template: "We're here for you, {{brand.name}}" }] } };
    expect(check(rules, 'Thanks!\nWe’re here for you, Acme').violations).toEqual([]);
  });
});
