import type { MessageKind, Platform } from '@caredesk/channels';

export enum Severity {
  /** The reply may not be sent unless a MANAGER or above overrides with a reason. */
  BLOCK = 'BLOCK',
  /** Shown to the agent; never stops a reply. */
  WARN = 'WARN',
}

/** Which rule of the style guide a violation comes from. */
export enum StyleRuleKind {
  BANNED_PHRASE = 'BANNED_PHRASE',
  GREETING = 'GREETING',
  SIGN_OFF = 'SIGN_OFF',
  EMOJI = 'EMOJI',
  MAX_LENGTH = 'MAX_LENGTH',
  EXCLAMATION_MARKS = 'EXCLAMATION_MARKS',
  CUSTOMER_NAME = 'CUSTOMER_NAME',
  LINK = 'LINK',
  NEVER_PROMISE = 'NEVER_PROMISE',
  COMPETITOR = 'COMPETITOR',
}

/**
 * One finding. `start`/`end` are UTF-16 code unit offsets into the checked body (JavaScript string
 * indices, `body.slice(start, end)` is the offending text); `end` is exclusive.
 */
export interface StyleViolation {
  rule: StyleRuleKind;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  suggestion: string | null;
}

export interface StyleCheckResult {
  /** The style guide version checked against; null when the brand has no style guide yet. */
  versionId: string | null;
  /** 0–100, 100 = no violation. */
  score: number;
  /** True when at least one violation is BLOCK. */
  blocked: boolean;
  violations: StyleViolation[];
}

/** What a check needs to know about a reply besides its text. */
export interface StyleCheckSubject {
  body: string;
  /** BCP-47 tag of the reply's language; null when unknown (every rule then applies). */
  language?: string | null;
  platform?: Platform | null;
  kind?: MessageKind | null;
  /** The customer's display name, for the "name in DMs" rule; null when unknown. */
  contactName?: string | null;
}

export interface StyleCheckInput extends StyleCheckSubject {
  brandId: string;
}
