import { compileStyleGuide } from './compile-style-guide';
import { normalizeRules, StyleRulesDraft } from './normalize-rules';
import { StyleCheckSubject, StyleViolation } from './style-check.types';

/** Compiles a draft the way a saved version is compiled, and checks one reply. */
export function check(draft: StyleRulesDraft, subject: StyleCheckSubject | string) {
  const s = typeof subject === 'string' ? { body: subject } : subject;
  return compileStyleGuide(normalizeRules(draft)).check(s);
}

/** The offending text of each violation: what the spans point at. */
export function spans(body: string, violations: StyleViolation[]): string[] {
  return violations.map((v) => body.slice(v.start, v.end));
}
