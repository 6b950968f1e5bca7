import { StyleRuleKind } from '../style-check.types';
import { StyleRules } from '../style-rules';
import { findLinks, hostAllowed } from '../links';
import { lineSpan, literalPattern, WORD_CHAR } from '../text-patterns';
import { firstName, RuleCheck, violation } from './rule-check';

const HAS_WORD_CHAR = new RegExp(WORD_CHAR, 'u');

/**
 * In a DM, the reply names the customer (first or full name, whole word, any case). Skipped when
 * the kind or the name is unknown: a rule that cannot be checked must not flag every reply.
 */
export function customerNameRule(rule: StyleRules['customerNameInDirectMessages']): RuleCheck | null {
  if (!rule) return null;
  return (draft, report) => {
    const { body, kind, contactName } = draft;
    if (kind !== 'DM') return;
    const name = contactName?.trim();
    if (!name || !HAS_WORD_CHAR.test(name)) return;
    // Built per call: the name differs per conversation (one small regex, microseconds).
    const forms = [...new Set([firstName(name), name])].map(
      (f) => `(?<!${WORD_CHAR})${literalPattern(f)}(?!${WORD_CHAR})`,
    );
    if (new RegExp(forms.join('|'), 'iu').test(body)) return;
    report(
      violation(
        StyleRuleKind.CUSTOMER_NAME,
        rule.severity,
        draft.span(...lineSpan(body, 'first')),
        'Address the customer by name in a direct message',
        `Use "${firstName(name)}"`,
      ),
    );
  };
}

/** Links only to the allowed domains (subdomains included); each other link is a violation. */
export function linkRule(rule: StyleRules['links']): RuleCheck | null {
  if (!rule) return null;
  const { allowedDomains, severity } = rule;
  const suggestion = allowedDomains.length ? `Link only to ${allowedDomains.join(', ')}` : 'Remove the link';
  return (draft, report) => {
    for (const link of findLinks(draft.body)) {
      if (hostAllowed(link.host, allowedDomains)) continue;
      report(
        violation(
          StyleRuleKind.LINK,
          severity,
          draft.span(link.start, link.end),
          `Links to ${link.host ?? 'this address'} are not allowed`,
          suggestion,
        ),
      );
    }
  };
}
