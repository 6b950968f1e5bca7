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

/**
 * Where a reply goes decides its length limit: PUBLIC (a comment, a reply to a post or tweet, a
 * review reply) or PRIVATE (a direct message; email).
 */
export enum LengthScope {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
}

export interface MaxLengthRule {
  platform: Platform;
  scope: LengthScope;
  /**
   * In characters as the platform counts them: X public replies in X's weighted count (twitter-text:
   * NFC, URLs 23, CJK, emoji and letters above U+10FF 2); everything else in Unicode code points of
   * the NFC text.
   */
  max: number;
  severity: Severity;
}

/** The scope of a reply of this conversation kind; null when the kind is unknown. */
export function scopeOf(kind: MessageKind | null | undefined): LengthScope | null {
  if (!kind) return null;
  return kind === 'DM' || kind === 'EMAIL' ? LengthScope.PRIVATE : LengthScope.PUBLIC;
}

/** X counts public posts with its weighted count; its DMs (10,000) are plain characters. */
export function isXWeighted(rule: Pick<MaxLengthRule, 'platform' | 'scope'>): boolean {
  return rule.platform === Platform.X && rule.scope === LengthScope.PUBLIC;
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
 * Platform limits for one reply, applied unless the manager sets another, from each platform's docs:
 * - X: posts 280, weighted ("Counting characters"); DMs 10,000 (POST /2/dm_conversations/…/messages).
 * - Instagram: comments 2,200; DMs 1,000 (Instagram Messaging, send message).
 * - Facebook Page: comments 8,000; Messenger 2,000 (Send API, message.text).
 * - TikTok comments 150, LinkedIn comments 1,250, Google Business Profile review replies 4,096.
 * Email has no limit; the other platforms have no DMs in Caredesk.
 */
export const DEFAULT_MAX_LENGTH: ReadonlyArray<{ platform: Platform; scope: LengthScope; max: number }> = [
  { platform: Platform.X, scope: LengthScope.PUBLIC, max: 280 },
  { platform: Platform.X, scope: LengthScope.PRIVATE, max: 10_000 },
  { platform: Platform.INSTAGRAM, scope: LengthScope.PUBLIC, max: 2200 },
  { platform: Platform.INSTAGRAM, scope: LengthScope.PRIVATE, max: 1000 },
  { platform: Platform.FACEBOOK_PAGE, scope: LengthScope.PUBLIC, max: 8000 },
  { platform: Platform.FACEBOOK_PAGE, scope: LengthScope.PRIVATE, max: 2000 },
  { platform: Platform.TIKTOK, scope: LengthScope.PUBLIC, max: 150 },
  { platform: Platform.LINKEDIN, scope: LengthScope.PUBLIC, max: 1250 },
  { platform: Platform.GOOGLE_BUSINESS, scope: LengthScope.PUBLIC, max: 4096 },
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

/**
 * Rules as stored → rules as this code reads them. Versions are immutable rows, so versions saved
 * before limits had a scope are read here: their per-platform limit was meant for public replies
 * (it was X's 280, Instagram's comment 2,200), and the DM limits, which they never had, are the
 * defaults. A version saved with scopes comes back unchanged.
 */
export function upgradeRules(rules: StyleRules): StyleRules {
  if (!rules || !Array.isArray(rules.maxLength)) return rules;
  if (rules.maxLength.every((r) => r.scope)) return rules;
  const maxLength = rules.maxLength.map((r) => (r.scope ? r : { ...r, scope: LengthScope.PUBLIC }));
  for (const d of DEFAULT_MAX_LENGTH) {
    if (!maxLength.some((r) => r.platform === d.platform && r.scope === d.scope)) {
      maxLength.push({ ...d, severity: DEFAULT_SEVERITY.maxLength });
    }
  }
  return { ...rules, maxLength };
}
