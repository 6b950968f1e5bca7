import { Platform } from '@caredesk/channels';
import type { MessageKind } from '@caredesk/channels';
import { Severity } from './style-check.types';

/**
 * The rules of one style guide version, as stored in `style_guide_versions.rules` (already
 * validated by `normalizeRules`). A version is self-contained: platform length defaults are copied
 * in when it is created, so a later change of the defaults never changes what an old version meant.
 */
export interface StyleRules {
  /** For humans (agents, new hires); never checked. */
  voice: { description: string; examples: string[] };
  bannedPhrases: PhraseRule[];
  /** Promises (refund, compensation…) only a manager may make. */
  neverPromise: PhraseRule[];
  competitors: PhraseRule[];
  greeting: TemplateRule | null;
  signOff: TemplateRule | null;
  emoji: EmojiRule;
  maxLength: MaxLengthRule[];
  exclamationMarks: { max: number; severity: Severity } | null;
  /** In a DM the reply must name the customer (their first or full name). */
  customerNameInDirectMessages: { severity: Severity } | null;
  /** Links only to these domains (and their subdomains); null = any link. */
  links: { allowedDomains: string[]; severity: Severity } | null;
}

export interface PhraseRule {
  phrase: string;
  /** What to write instead; shown as the suggestion. */
  replacement: string | null;
  /** Primary language subtags the rule applies to; empty = every language. */
  languages: string[];
  severity: Severity;
}

export interface TemplateRule {
  /** The reply must match one of the templates that apply to its language and kind. */
  templates: Template[];
  severity: Severity;
}

export interface Template {
  /** Text with variables, e.g. "Hi {{contact.firstName}},". */
  template: string;
  languages: string[];
  kinds: MessageKind[];
}

export enum EmojiMode {
  NONE = 'NONE',
  ALLOWED = 'ALLOWED',
  MAX = 'MAX',
}

export interface EmojiRule {
  mode: EmojiMode;
  /** Only for MAX. */
  max: number | null;
  severity: Severity;
}

export interface MaxLengthRule {
  platform: Platform;
  /** In Unicode code points (what X counts for most scripts). */
  max: number;
  severity: Severity;
}

/** Variables a greeting or sign-off template may use; each matches any text when checking. */
export const TEMPLATE_VARIABLES = [
  'contact.firstName',
  'contact.name',
  'agent.firstName',
  'agent.name',
  'brand.name',
] as const;

/**
 * Platform limits for one reply, applied unless the manager sets another: X 280 (developer docs,
 * "Counting characters"; counted here as code points, not X's weighted count), Instagram comments
 * 2,200, TikTok comments 150, LinkedIn comments 1,250, Google Business Profile review replies 4,096,
 * Facebook comments 8,000. Email has no limit.
 */
export const DEFAULT_MAX_LENGTH: ReadonlyArray<{ platform: Platform; max: number }> = [
  { platform: Platform.X, max: 280 },
  { platform: Platform.INSTAGRAM, max: 2200 },
  { platform: Platform.TIKTOK, max: 150 },
  { platform: Platform.LINKEDIN, max: 1250 },
  { platform: Platform.GOOGLE_BUSINESS, max: 4096 },
  { platform: Platform.FACEBOOK_PAGE, max: 8000 },
];

/** Severity when the manager does not choose: what the platform or the law would refuse blocks. */
export const DEFAULT_SEVERITY = {
  bannedPhrases: Severity.BLOCK,
  neverPromise: Severity.BLOCK,
  competitors: Severity.WARN,
  greeting: Severity.WARN,
  signOff: Severity.WARN,
  emoji: Severity.WARN,
  maxLength: Severity.BLOCK,
  exclamationMarks: Severity.WARN,
  customerNameInDirectMessages: Severity.WARN,
  links: Severity.BLOCK,
} as const;

/** The rules of a brand that has no style guide yet (what `styleGuide` shows before the first save). */
export function emptyRules(): StyleRules {
  return {
    voice: { description: '', examples: [] },
    bannedPhrases: [],
    neverPromise: [],
    competitors: [],
    greeting: null,
    signOff: null,
    emoji: { mode: EmojiMode.ALLOWED, max: null, severity: DEFAULT_SEVERITY.emoji },
    maxLength: DEFAULT_MAX_LENGTH.map((d) => ({ ...d, severity: DEFAULT_SEVERITY.maxLength })),
    exclamationMarks: null,
    customerNameInDirectMessages: null,
    links: null,
  };
}
