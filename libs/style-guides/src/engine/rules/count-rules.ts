import * as twitterText from 'twitter-text';
import { parseTweet, ParseTweetOptions } from 'twitter-text';
import { StyleRuleKind, StyleViolation } from '../style-check.types';
import { EmojiMode, isXWeighted, LengthScope, MaxLengthRule, scopeOf, StyleRules } from '../style-rules';
import { NormalizedText } from '../normalized-text';
import { codePointLength, codePointOffset, EMOJI, EXCLAMATION, MAY_HAVE_EMOJI } from '../text-patterns';
import { RuleCheck, violation } from './rule-check';

/** NONE or MAX n: each emoji past the allowed number is a violation. */
export function emojiRule(rule: StyleRules['emoji']): RuleCheck | null {
  if (rule.mode === EmojiMode.ALLOWED) return null;
  const allowed = rule.mode === EmojiMode.MAX ? (rule.max ?? 0) : 0;
  const message = allowed === 0 ? 'This brand does not use emoji' : `At most ${allowed} emoji per reply`;
  return (draft, report) => {
    const { body } = draft;
    if (!MAY_HAVE_EMOJI.test(body)) return;
    let n = 0;
    for (const m of body.matchAll(EMOJI)) {
      if (++n <= allowed) continue;
      report(
        violation(
          StyleRuleKind.EMOJI,
          rule.severity,
          draft.span(m.index, m.index + m[0].length),
          message,
          'Remove this emoji',
        ),
      );
    }
  };
}

/** Each exclamation mark past the limit is a violation ("‼" is two). */
export function exclamationRule(rule: StyleRules['exclamationMarks']): RuleCheck | null {
  if (!rule) return null;
  const message =
    rule.max === 0
      ? 'This brand does not use exclamation marks'
      : `At most ${rule.max} exclamation marks per reply`;
  return (draft, report) => {
    let n = 0;
    for (const m of draft.body.matchAll(EXCLAMATION)) {
      n += m[0] === '\u203C' ? 2 : 1;
      if (n <= rule.max) continue;
      report(
        violation(
          StyleRuleKind.EXCLAMATION_MARKS,
          rule.severity,
          draft.span(m.index, m.index + 1),
          message,
          'Use a full stop',
        ),
      );
    }
  };
}

/** X's current counting (twitter-text config v3, untyped in @types/twitter-text). */
const X_COUNTING = (twitterText as unknown as { configs: { defaults: ParseTweetOptions } }).configs.defaults;

const SCOPES = Object.values(LengthScope);
const WHERE: Record<LengthScope, string> = {
  [LengthScope.PUBLIC]: 'in public replies',
  [LengthScope.PRIVATE]: 'in direct messages',
};

/**
 * The limit for the reply's platform and scope (public or private, from the conversation kind); the
 * span is everything past it. No platform, no check. Kind unknown (a draft checked by brand): every
 * limit of the platform applies and the tightest one reports, so a draft that passes fits wherever
 * it is sent.
 */
export function maxLengthRule(rules: StyleRules['maxLength']): RuleCheck | null {
  if (rules.length === 0) return null;
  const byKey = new Map(rules.map((r) => [`${r.platform}:${r.scope}`, r]));
  return ({ original, platform, kind }, report) => {
    if (!platform) return;
    const scope = scopeOf(kind);
    // Built at most once per check, whatever the number of limits (NFC, cluster map).
    let sent: NormalizedText | undefined;
    const counted = () => (sent ??= NormalizedText.forCounting(original));
    let tightest: StyleViolation | null = null;
    for (const s of scope ? [scope] : SCOPES) {
      const limit = byKey.get(`${platform}:${s}`);
      const found = limit ? overLength(original, counted, limit) : null;
      if (found && (!tightest || found.start < tightest.start)) tightest = found;
    }
    if (tightest) report(tightest);
  };
}

function overLength(
  original: string,
  counted: () => NormalizedText,
  limit: MaxLengthRule,
): StyleViolation | null {
  // NFC makes a text at most 3× longer (a few composition exclusions), so a short text needs no
  // count. X weighs a character at most 2, but a URL (which needs a dot) 23.
  if (isXWeighted(limit)) {
    if (original.length * 6 <= limit.max && !original.includes('.')) return null;
  } else if (original.length * 3 <= limit.max) return null;
  const sent = counted();
  const text = sent.text;
  let length: number;
  let cut: number;
  if (isXWeighted(limit)) {
    const parsed = parseTweet(text, { ...X_COUNTING, maxWeightedTweetLength: limit.max });
    length = parsed.weightedLength;
    if (length <= limit.max) return null;
    // validRangeEnd: the last UTF-16 unit that still fits (inclusive).
    cut = Math.min(parsed.validRangeEnd + 1, text.length);
  } else {
    if (text.length <= limit.max) return null;
    length = codePointLength(text);
    if (length <= limit.max) return null;
    cut = codePointOffset(text, limit.max);
  }
  const over = length - limit.max;
  return violation(
    StyleRuleKind.MAX_LENGTH,
    limit.severity,
    sent.span(cut, text.length),
    `${limit.platform} allows ${limit.max} characters ${WHERE[limit.scope]}; this reply has ${length}`,
    `Shorten it by ${over} character${over === 1 ? '' : 's'}`,
  );
}
