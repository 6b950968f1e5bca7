import { StyleRuleKind } from '../style-check.types';
import { EmojiMode, StyleRules } from '../style-rules';
import { codePointLength, codePointOffset, EMOJI, EXCLAMATION, MAY_HAVE_EMOJI } from '../text-patterns';
import { RuleCheck, violation } from './rule-check';

/** NONE or MAX n: each emoji past the allowed number is a violation. */
export function emojiRule(rule: StyleRules['emoji']): RuleCheck | null {
  if (rule.mode === EmojiMode.ALLOWED) return null;
  const allowed = rule.mode === EmojiMode.MAX ? (rule.max ?? 0) : 0;
  const message = allowed === 0 ? 'This brand does not use emoji' : `At most ${allowed} emoji per reply`;
  return ({ body }, report) => {
    if (!MAY_HAVE_EMOJI.test(body)) return;
    let n = 0;
    for (const m of body.matchAll(EMOJI)) {
      if (++n <= allowed) continue;
      report(
        violation(
          StyleRuleKind.EMOJI,
          rule.severity,
          [m.index, m.index + m[0].length],
          message,
          'Remove this emoji',
        ),
      );
    }
  };
}

/** Each exclamation mark past the limit is a violation. */
export function exclamationRule(rule: StyleRules['exclamationMarks']): RuleCheck | null {
  if (!rule) return null;
  const message =
    rule.max === 0
      ? 'This brand does not use exclamation marks'
      : `At most ${rule.max} exclamation marks per reply`;
  return ({ body }, report) => {
    let n = 0;
    for (const m of body.matchAll(EXCLAMATION)) {
      if (++n <= rule.max) continue;
      report(
        violation(
          StyleRuleKind.EXCLAMATION_MARKS,
          rule.severity,
          [m.index, m.index + 1],
          message,
          'Use a full stop',
        ),
      );
    }
  };
}

/** The platform's limit in code points; the span is everything past it. No platform, no check. */
export function maxLengthRule(rules: StyleRules['maxLength']): RuleCheck | null {
  if (rules.length === 0) return null;
  const byPlatform = new Map(rules.map((r) => [r.platform as string, r]));
  return ({ body, platform }, report) => {
    const limit = platform ? byPlatform.get(platform) : undefined;
    // body.length (UTF-16 units) ≥ code points, so a body within the limit in units needs no count.
    if (!limit || body.length <= limit.max) return;
    const length = codePointLength(body);
    if (length <= limit.max) return;
    const over = length - limit.max;
    report(
      violation(
        StyleRuleKind.MAX_LENGTH,
        limit.severity,
        [codePointOffset(body, limit.max), body.length],
        `${limit.platform} allows ${limit.max} characters; this reply has ${length}`,
        `Shorten it by ${over} character${over === 1 ? '' : 's'}`,
      ),
    );
  };
}
