import { Severity, StyleCheckSubject, StyleViolation } from './style-check.types';
import { StyleRules } from './style-rules';
import { languageKey } from './languages';
import { matchForm, NormalizedText } from './normalized-text';
import { customerNameRule, linkRule } from './rules/contact-and-link-rules';
import { emojiRule, exclamationRule, maxLengthRule } from './rules/count-rules';
import { phraseRules } from './rules/phrase-rules';
import { RuleCheck } from './rules/rule-check';
import { templateRule } from './rules/template-rules';

export interface CheckOutcome {
  score: number;
  blocked: boolean;
  violations: StyleViolation[];
}

/** A style guide version's rules, compiled once into matchers; `check` is pure and synchronous. */
export interface CompiledStyleGuide {
  check(subject: StyleCheckSubject): CheckOutcome;
}

/** Score: 100 for a clean reply, minus 25 per BLOCK and 10 per WARN violation, never below 0. */
const PENALTY: Record<Severity, number> = { [Severity.BLOCK]: 25, [Severity.WARN]: 10 };

/**
 * Compiles every rule into a check (regexes built here; V8 compiles each on its first use). Rules
 * that are off compile to nothing, so an unused rule costs nothing per reply.
 */
export function compileStyleGuide(rules: StyleRules): CompiledStyleGuide {
  const checks = [
    phraseRules(rules),
    templateRule(rules.greeting, 'start'),
    templateRule(rules.signOff, 'end'),
    emojiRule(rules.emoji),
    maxLengthRule(rules.maxLength),
    exclamationRule(rules.exclamationMarks),
    customerNameRule(rules.customerNameInDirectMessages),
    linkRule(rules.links),
  ].filter((c): c is RuleCheck => c !== null);

  return {
    check(subject) {
      // Once per check: every rule matches on one form of the text, spans come back in the caller's.
      const text = NormalizedText.forMatching(subject.body);
      const draft = {
        body: text.text,
        original: subject.body,
        span: (start: number, end: number) => text.span(start, end),
        language: languageKey(subject.language),
        kind: subject.kind ?? null,
        platform: subject.platform ?? null,
        contactName: subject.contactName == null ? null : matchForm(subject.contactName),
      };
      const violations: StyleViolation[] = [];
      const report = (v: StyleViolation) => violations.push(v);
      for (const c of checks) c(draft, report);
      // Stable sort: at one position, rules keep the order above.
      violations.sort((a, b) => a.start - b.start || a.end - b.end);
      const penalty = violations.reduce((sum, v) => sum + PENALTY[v.severity], 0);
      return {
        score: Math.max(0, 100 - penalty),
        blocked: violations.some((v) => v.severity === Severity.BLOCK),
        violations,
      };
    },
  };
}
