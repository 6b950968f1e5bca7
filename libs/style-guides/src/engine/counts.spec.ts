import { Platform } from '@caredesk/channels';
import { check, spans } from './spec-helpers';
import { EmojiMode, LengthScope } from './style-rules';
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

  it('counts "‼" as two exclamation marks and "⁉" as one', () => {
    const body = 'Tack‼ Dziękujemy⁉';
    const r = check({ exclamationMarks: { max: 2 } }, body);
    expect(spans(body, r.violations)).toEqual(['⁉']);
    expect(check({ exclamationMarks: { max: 1 } }, 'Hei‼').violations).toHaveLength(1);
  });

  it("X replies: 280 by X's weighted count (emoji and CJK 2, NFC), spanning the overflow", () => {
    const x = (body: string) => check({}, { body, platform: Platform.X, kind: 'COMMENT' });
    expect(x('😀'.repeat(140)).violations).toEqual([]);
    // 280 emoji are 560 by X's count (they were 280 code points, which X does not count).
    const emoji = '😀'.repeat(280);
    expect(x(emoji).violations).toEqual([
      expect.objectContaining({
        rule: StyleRuleKind.MAX_LENGTH,
        severity: Severity.BLOCK,
        start: 280, // the 141st emoji: 140 fit, two UTF-16 units each
        end: emoji.length,
        message: 'X allows 280 characters in public replies; this reply has 560',
        suggestion: 'Shorten it by 280 characters',
      }),
    ]);
    // Vietnamese letters above U+10FF (ạ, ế…) weigh 2; Norwegian å is 1.
    expect(x('å'.repeat(280)).violations).toEqual([]);
    const vi = 'ạ'.repeat(141);
    expect(x(vi).violations[0]).toMatchObject({ start: 140, end: 141 });
    // Decomposed text is counted as X counts it, after NFC: 280 "å" typed as a + ring.
    const nfd = 'a\u030A'.repeat(280);
    expect(x(nfd).violations).toEqual([]);
    expect(spans(nfd + 'ø', x(nfd + 'ø').violations)).toEqual(['ø']);
  });

  it('X replies: a URL counts 23 however long it is', () => {
    const url = `https://help.brand.com/${'a'.repeat(300)}`;
    const x = (body: string) => check({}, { body, platform: Platform.X, kind: 'MENTION' });
    expect(x(`Se ${url}`).violations).toEqual([]);
    const body = `${'a'.repeat(260)} ${url}`;
    expect(x(body).violations[0]).toMatchObject({
      message: 'X allows 280 characters in public replies; this reply has 284',
    });
  });

  it('X DMs allow 10,000 characters, counted as code points', () => {
    const dm = (body: string) => check({}, { body, platform: Platform.X, kind: 'DM' });
    expect(dm('Cảm ơn bạn! '.repeat(50)).violations).toEqual([]); // 600 characters, blocked before
    const body = 'ł'.repeat(10_000) + '😀';
    expect(dm(body).violations).toEqual([
      expect.objectContaining({
        start: 10_000,
        end: body.length,
        message: 'X allows 10000 characters in direct messages; this reply has 10001',
      }),
    ]);
  });

  it('Instagram DMs 1,000 and Messenger 2,000; comments keep 2,200 and 8,000', () => {
    const ig = 'ę'.repeat(1200);
    expect(check({}, { body: ig, platform: Platform.INSTAGRAM, kind: 'DM' }).violations[0]).toMatchObject({
      start: 1000,
      message: 'INSTAGRAM allows 1000 characters in direct messages; this reply has 1200',
    });
    expect(check({}, { body: ig, platform: Platform.INSTAGRAM, kind: 'COMMENT' }).violations).toEqual([]);
    const fb = 'ø'.repeat(2500);
    expect(check({}, { body: fb, platform: Platform.FACEBOOK_PAGE, kind: 'DM' }).violations[0]).toMatchObject(
      {
        start: 2000,
      },
    );
    expect(check({}, { body: fb, platform: Platform.FACEBOOK_PAGE, kind: 'COMMENT' }).violations).toEqual([]);
  });

  it('kind unknown (a draft checked by brand): the tightest limit of the platform reports', () => {
    const body = 'å'.repeat(1500);
    const r = check({}, { body, platform: Platform.INSTAGRAM });
    expect(r.violations).toEqual([expect.objectContaining({ start: 1000, rule: StyleRuleKind.MAX_LENGTH })]);
  });

  it('lets the manager set a length per platform and scope; no platform, no length check', () => {
    const rules = {
      maxLength: [
        { platform: Platform.FACEBOOK_PAGE, max: 10, severity: Severity.WARN },
        { platform: Platform.X, scope: LengthScope.PRIVATE, max: 5 },
      ],
    };
    const fb = { body: 'Tęsknimy za tobą', platform: Platform.FACEBOOK_PAGE, kind: 'COMMENT' as const };
    expect(check(rules, fb).violations[0]).toMatchObject({ severity: Severity.WARN, start: 10 });
    expect(check(rules, { ...fb, kind: 'DM' }).violations).toEqual([]); // Messenger keeps 2,000
    expect(check(rules, { body: 'Dzięki!', platform: Platform.X, kind: 'DM' }).violations[0]).toMatchObject({
      start: 5,
      severity: Severity.BLOCK,
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
