import { AppError, ErrorCode } from '@caredesk/core';
import { firstName, parseTemplate, renderTemplate, templateVariables } from './template';

function codeOf(fn: () => unknown): { code?: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, details: e.details };
    throw e;
  }
  return {};
}

describe('canned reply templates', () => {
  it('renders values, trims them, and uses the fallback only when a value is missing or blank', () => {
    const t = 'Hei {{contact.firstName | "der"}}! Hilsen {{ agent.firstName }}, {{brand.name}}';
    expect(
      renderTemplate(t, { 'contact.firstName': 'Øystein', 'agent.firstName': 'Åse', 'brand.name': 'Fjord' }),
    ).toBe('Hei Øystein! Hilsen Åse, Fjord');
    expect(
      renderTemplate(t, { 'contact.firstName': '  ', 'agent.firstName': null, 'brand.name': 'Fjord' }),
    ).toBe('Hei der! Hilsen , Fjord');
  });

  it('keeps Polish and Vietnamese text and fallbacks with diacritics intact', () => {
    expect(renderTemplate('Dzień dobry {{contact.name | "Pani/Panie"}}', {})).toBe('Dzień dobry Pani/Panie');
    expect(
      renderTemplate('Chào {{contact.firstName | "bạn"}}, cảm ơn!', { 'contact.firstName': 'Nguyễn' }),
    ).toBe('Chào Nguyễn, cảm ơn!');
  });

  it('rejects unknown variables, unclosed braces and malformed placeholders as BAD_USER_INPUT', () => {
    expect(codeOf(() => parseTemplate('Hi {{customer.name}}'))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      details: { field: 'body', variable: 'customer.name' },
    });
    expect(codeOf(() => parseTemplate('Hi {{contact.name')).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => parseTemplate('Hi {{contact.name | there}}')).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => parseTemplate('Hi {{}}')).code).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('leaves single braces and text without placeholders alone', () => {
    expect(renderTemplate('Use {code} at checkout }}', {})).toBe('Use {code} at checkout }}');
    expect([...templateVariables('{{brand.name}} {{contact.name}} {{brand.name}}')]).toEqual([
      'brand.name',
      'contact.name',
    ]);
  });

  it('takes the first word of a name as the first name', () => {
    expect(firstName('  Carla   Customer ')).toBe('Carla');
    expect(firstName('')).toBeNull();
    expect(firstName(null)).toBeNull();
  });
});
