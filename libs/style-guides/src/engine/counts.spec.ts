import { Platform } from '@caredesk/channels';
import { check, spans } from './spec-helpers';
import { EmojiMode } from './style-rules';
import { Severity, StyleRuleKind } from './style-check.types';

describe('emoji, exclamation marks and length', () => {
  it('NONE flags every emoji, counting a ZWJ family, a flag, a skin tone and a keycap as one each', () => {
    const body = 'Takk 👨‍👩‍👧‍👦 fra 🇳🇴! 👍🏽 1️⃣ ❤️ 🏳️‍🌈';
    const r = check({ emoji: { mode: EmojiMode.NONE } }, body);
    expect(spans(body, r.violations)).toEqual(['👨‍👩‍👧‍👦', '🇳🇴', '👍🏽', '1️⃣', '❤️', '🏳️‍🌈']);
    expect(r.violations.every((v) => v.rule === StyleRuleKind.EMOJI && v.severity === Severity.WARN)).toBe(
      true,
    );
  });

  it('MAX n flags only the emoji after the n-th', () => {
    const body = 'Hej 😀 på 😀 dig 🇸🇪 🇵🇱';
    const r = check({ emoji: { mode: EmojiMode.MAX, max: 2 } }, body);
    expect(spans(body, r.violations)).toEqual(['🇸🇪', '🇵🇱']);
    expect(check({ emoji: { mode: EmojiMode.ALLOWED } }, body).violations).toEqual([]);
  });

  it('does not count ©, ® or ™ typed as text, nor digits or letters', () => {
    expect(check({ emoji: { mode: EmojiMode.NONE } }, 'Brand™ © 2026 ® #1 Łódź').violations).toEqual([]);
  });

  it('limits exclamation marks (ASCII and fullwidth), flagging each one over the limit', () => {
    const body = 'Hei! Så fint!! Dziękujemy！';
    const r = check({ exclamationMarks: { max: 1 } }, body);
    expect(r.violations.map((v) => v.start)).toEqual([
      body.indexOf('!!'),
      body.indexOf('!!') + 1,
      body.indexOf('！'),
    ]);
    expect(check({ exclamationMarks: { max: 0 } }, 'Hei!').violations).toHaveLength(1);
    expect(check({ exclamationMarks: { max: 4 } }, body).violations).toEqual([]);
  });

  it("applies X's 280 by default, counted in code points, spanning the overflow", () => {
    const fits = '😀'.repeat(280); // 560 UTF-16 units, 280 code points
    expect(check({}, { body: fits, platform: Platform.X }).violations).toEqual([]);
    const body = 'å'.repeat(279) + '😀😀';
    const r = check({}, { body, platform: Platform.X });
    expect(r.violations).toEqual([
      expect.objectContaining({
        rule: StyleRuleKind.MAX_LENGTH,
        severity: Severity.BLOCK,
        start: 281, // 279 å + the first 😀 (two UTF-16 units)
        end: body.length,
      }),
    ]);
    expect(spans(body, r.violations)).toEqual(['😀']);
    expect(r.violations[0].message).toBe('X allows 280 characters; this reply has 281');
  });

  it('lets the manager set a length per platform; no platform, no length check', () => {
    const rules = { maxLength: [{ platform: Platform.FACEBOOK_PAGE, max: 10, severity: Severity.WARN }] };
    expect(
      check(rules, { body: 'Tęsknimy za tobą', platform: Platform.FACEBOOK_PAGE }).violations[0],
    ).toMatchObject({
      severity: Severity.WARN,
      start: 10,
    });
    expect(check(rules, { body: 'x'.repeat(10_000) }).violations).toEqual([]);
    expect(check(rules, { body: 'x'.repeat(10_000), platform: Platform.EMAIL }).violations).toEqual([]);
  });
});

describe("the customer's name in DMs", () => {
  const rules = { customerNameInDirectMessages: { required: true } };

  it("needs the contact's first or full name in a DM, whole word, any case", () => {
    expect(check(rules, { body: 'Hei ÅSE, takk!', kind: 'DM', contactName: 'Åse Berg' }).violations).toEqual(
      [],
    );
    expect(
      check(rules, { body: 'Chào Nguyễn Văn An', kind: 'DM', contactName: 'Nguyễn Văn An' }).violations,
    ).toEqual([]);
    const body = 'Hei Åsebjørg, takk!';
    const r = check(rules, { body, kind: 'DM', contactName: 'Åse Berg' });
    expect(r.violations).toEqual([
      expect.objectContaining({
        rule: StyleRuleKind.CUSTOMER_NAME,
        severity: Severity.WARN,
        suggestion: 'Use "Åse"',
      }),
    ]);
    expect(spans(body, r.violations)).toEqual([body]);
  });

  it('is not checked outside DMs or when the name is unknown', () => {
    expect(check(rules, { body: 'Takk', kind: 'COMMENT', contactName: 'Åse' }).violations).toEqual([]);
    expect(check(rules, { body: 'Takk', kind: 'DM', contactName: null }).violations).toEqual([]);
    expect(check(rules, { body: 'Takk', kind: 'DM', contactName: '🙂' }).violations).toEqual([]);
    expect(check({}, { body: 'Takk', kind: 'DM', contactName: 'Åse' }).violations).toEqual([]);
  });
});
