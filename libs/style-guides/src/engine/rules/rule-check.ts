import type { MessageKind, Platform } from '@caredesk/channels';
import { Severity, StyleRuleKind, StyleViolation } from '../style-check.types';

/** A reply as the rules see it: the language already reduced to its key (languages.ts). */
export interface Draft {
  /** The text in matching form (NormalizedText.forMatching): what rules match and scan. */
  body: string;
  /** The text exactly as the caller sent it: what lengths are counted on (after NFC). */
  original: string;
  /** [start, end) in `body` → the same text's offsets in `original` (what violations report). */
  span(start: number, end: number): [number, number];
  /** languageKey(): 'en', 'no', …, or '*' when unknown. */
  language: string;
  kind: MessageKind | null;
  platform: Platform | null;
  /** In matching form. */
  contactName: string | null;
}

export type Report = (violation: StyleViolation) => void;

/** One compiled rule (or group of rules): appends its violations for a draft. */
export type RuleCheck = (draft: Draft, report: Report) => void;

export function violation(
  rule: StyleRuleKind,
  severity: Severity,
  [start, end]: readonly [number, number],
  message: string,
  suggestion: string | null,
): StyleViolation {
  return { rule, severity, start, end, message, suggestion };
}

/** A rule limited to languages applies to those, and to a reply of unknown language ('*'). */
export function appliesTo(languages: readonly string[], language: string): boolean {
  return language === '*' || languages.length === 0 || languages.includes(language);
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/u)[0];
}
