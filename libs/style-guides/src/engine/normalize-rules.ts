import { AppError } from '@caredesk/core';
import { Platform } from '@caredesk/channels';
import type { MessageKind } from '@caredesk/channels';
import { Severity } from './style-check.types';
import {
  DEFAULT_MAX_LENGTH,
  DEFAULT_SEVERITY,
  EmojiMode,
  LengthScope,
  MaxLengthRule,
  PhraseRule,
  StyleRules,
  Template,
  TEMPLATE_VARIABLES,
  TemplateRule,
} from './style-rules';
import { normalizeDomain } from './links';
import { languageKey } from './languages';
import { MAX_TEMPLATE_VARIABLES, VARIABLE } from './text-patterns';

/** What a client sends (the GraphQL input, as plain data); every part optional. */
export interface StyleRulesDraft {
  voice?: { description?: string | null; examples?: string[] | null } | null;
  bannedPhrases?: PhraseDraft[] | null;
  neverPromise?: PhraseDraft[] | null;
  competitors?: PhraseDraft[] | null;
  greeting?: TemplateRuleDraft | null;
  signOff?: TemplateRuleDraft | null;
  emoji?: { mode: EmojiMode; max?: number | null; severity?: Severity | null } | null;
  maxLength?: Array<{
    platform: Platform;
    scope?: LengthScope | null;
    max: number;
    severity?: Severity | null;
  }> | null;
  exclamationMarks?: { max: number; severity?: Severity | null } | null;
  customerNameInDirectMessages?: { required: boolean; severity?: Severity | null } | null;
  links?: { allowedDomains: string[]; severity?: Severity | null } | null;
}
export interface PhraseDraft {
  phrase: string;
  replacement?: string | null;
  languages?: string[] | null;
  severity?: Severity | null;
}
export interface TemplateRuleDraft {
  templates: Array<{ template: string; languages?: string[] | null; kinds?: string[] | null }>;
  severity?: Severity | null;
}

export const LIMITS = {
  phrases: 500,
  phraseLength: 100,
  templates: 20,
  templateLength: 300,
  languages: 20,
  domains: 100,
  description: 5000,
  examples: 20,
  exampleLength: 2000,
  maxLength: 100_000,
  exclamationMarks: 100,
  emoji: 100,
} as const;

const KINDS: ReadonlySet<string> = new Set(['DM', 'COMMENT', 'MENTION', 'REVIEW', 'EMAIL']);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Validates a draft strictly and returns the rules to store: BAD_USER_INPUT with the offending
 * `field` (e.g. `rules.bannedPhrases[2].phrase`) for anything out of range, so a manager learns
 * exactly what to fix and nothing half-valid is saved. User phrases are kept as text; the engine
 * escapes them when it builds its matchers.
 */
export function normalizeRules(draft: StyleRulesDraft, field = 'rules'): StyleRules {
  const description = text(
    draft.voice?.description ?? '',
    `${field}.voice.description`,
    LIMITS.description,
    true,
  );
  const examples = list(draft.voice?.examples, `${field}.voice.examples`, LIMITS.examples).map((e, i) =>
    text(e, `${field}.voice.examples[${i}]`, LIMITS.exampleLength),
  );

  // One limit per platform and scope; the defaults stay for the pairs the manager leaves out.
  const maxLength = new Map<string, MaxLengthRule>(
    DEFAULT_MAX_LENGTH.map((d) => [
      `${d.platform}:${d.scope}`,
      { ...d, severity: DEFAULT_SEVERITY.maxLength },
    ]),
  );
  const seen = new Set<string>();
  const scopes = Object.values(LengthScope);
  list(draft.maxLength, `${field}.maxLength`, Object.keys(Platform).length * scopes.length).forEach(
    (m, i) => {
      const at = `${field}.maxLength[${i}]`;
      if (!Object.values(Platform).includes(m.platform))
        throw AppError.badInput('Unknown platform', `${at}.platform`);
      const scope = m.scope ?? LengthScope.PUBLIC;
      if (!scopes.includes(scope)) throw AppError.badInput('Scope is PUBLIC or PRIVATE', `${at}.scope`);
      const key = `${m.platform}:${scope}`;
      if (seen.has(key)) throw AppError.badInput(`${m.platform} ${scope} is listed twice`, `${at}.platform`);
      seen.add(key);
      maxLength.set(key, {
        platform: m.platform,
        scope,
        max: int(m.max, `${at}.max`, 1, LIMITS.maxLength),
        severity: severity(m.severity, DEFAULT_SEVERITY.maxLength, `${at}.severity`),
      });
    },
  );

  return {
    voice: { description, examples },
    bannedPhrases: phrases(draft.bannedPhrases, `${field}.bannedPhrases`, DEFAULT_SEVERITY.bannedPhrases),
    neverPromise: phrases(draft.neverPromise, `${field}.neverPromise`, DEFAULT_SEVERITY.neverPromise),
    competitors: phrases(draft.competitors, `${field}.competitors`, DEFAULT_SEVERITY.competitors),
    greeting: templates(draft.greeting, `${field}.greeting`, DEFAULT_SEVERITY.greeting),
    signOff: templates(draft.signOff, `${field}.signOff`, DEFAULT_SEVERITY.signOff),
    emoji: emoji(draft.emoji, `${field}.emoji`),
    maxLength: [...maxLength.values()],
    exclamationMarks: draft.exclamationMarks
      ? {
          // 0 is a policy of its own ("no exclamation marks"), so the limit may be 0 here.
          max: int(draft.exclamationMarks.max, `${field}.exclamationMarks.max`, 0, LIMITS.exclamationMarks),
          severity: severity(
            draft.exclamationMarks.severity,
            DEFAULT_SEVERITY.exclamationMarks,
            `${field}.exclamationMarks.severity`,
          ),
        }
      : null,
    customerNameInDirectMessages: draft.customerNameInDirectMessages?.required
      ? {
          severity: severity(
            draft.customerNameInDirectMessages.severity,
            DEFAULT_SEVERITY.customerNameInDirectMessages,
            `${field}.customerNameInDirectMessages.severity`,
          ),
        }
      : null,
    links: draft.links ? links(draft.links, `${field}.links`) : null,
  };
}

function phrases(drafts: PhraseDraft[] | null | undefined, field: string, fallback: Severity): PhraseRule[] {
  const seen = new Map<string, number>();
  return list(drafts, field, LIMITS.phrases).map((d, i) => {
    const at = `${field}[${i}]`;
    const phrase = text(d.phrase, `${at}.phrase`, LIMITS.phraseLength).replace(/\s+/gu, ' ');
    if (!LETTER_OR_DIGIT.test(phrase))
      throw AppError.badInput('A phrase needs a letter or digit', `${at}.phrase`);
    const key = phrase.toLocaleLowerCase('und');
    if (seen.has(key)) throw AppError.badInput(`"${phrase}" is listed twice`, `${at}.phrase`);
    seen.set(key, i);
    return {
      phrase,
      replacement:
        d.replacement == null ? null : text(d.replacement, `${at}.replacement`, LIMITS.phraseLength),
      languages: languages(d.languages, `${at}.languages`),
      severity: severity(d.severity, fallback, `${at}.severity`),
    };
  });
}

function templates(
  draft: TemplateRuleDraft | null | undefined,
  field: string,
  fallback: Severity,
): TemplateRule | null {
  if (!draft) return null;
  const items = list(draft.templates, `${field}.templates`, LIMITS.templates);
  if (items.length === 0)
    throw AppError.badInput('Give at least one template (or leave the rule out)', `${field}.templates`);
  const parsed: Template[] = items.map((t, i) => {
    const at = `${field}.templates[${i}]`;
    const template = text(t.template, `${at}.template`, LIMITS.templateLength);
    const variables = [...template.matchAll(VARIABLE)];
    if (variables.length > MAX_TEMPLATE_VARIABLES) {
      throw AppError.badInput(`At most ${MAX_TEMPLATE_VARIABLES} variables per template`, `${at}.template`);
    }
    for (const m of variables) {
      if (!(TEMPLATE_VARIABLES as readonly string[]).includes(m[1])) {
        throw AppError.badInput(
          `Unknown variable {{${m[1]}}}; use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`,
          `${at}.template`,
        );
      }
    }
    const literal = template.replace(VARIABLE, '');
    if (/[{}]/.test(literal))
      throw AppError.badInput(
        'Unbalanced braces: write variables as {{contact.firstName}}',
        `${at}.template`,
      );
    if (!/\S/u.test(literal)) throw AppError.badInput('A template needs some fixed text', `${at}.template`);
    const kinds = list(t.kinds, `${at}.kinds`, KINDS.size);
    kinds.forEach((k, j) => {
      if (!KINDS.has(k)) throw AppError.badInput('Unknown kind', `${at}.kinds[${j}]`);
    });
    return {
      template,
      languages: languages(t.languages, `${at}.languages`),
      kinds: [...new Set(kinds)] as MessageKind[],
    };
  });
  return { templates: parsed, severity: severity(draft.severity, fallback, `${field}.severity`) };
}

function emoji(draft: StyleRulesDraft['emoji'], field: string): StyleRules['emoji'] {
  if (!draft) return { mode: EmojiMode.ALLOWED, max: null, severity: DEFAULT_SEVERITY.emoji };
  if (!Object.values(EmojiMode).includes(draft.mode))
    throw AppError.badInput('Unknown emoji mode', `${field}.mode`);
  if (draft.mode !== EmojiMode.MAX && draft.max != null) {
    throw AppError.badInput('max is only for mode MAX', `${field}.max`);
  }
  return {
    mode: draft.mode,
    max: draft.mode === EmojiMode.MAX ? int(draft.max, `${field}.max`, 1, LIMITS.emoji) : null,
    severity: severity(draft.severity, DEFAULT_SEVERITY.emoji, `${field}.severity`),
  };
}

function links(draft: NonNullable<StyleRulesDraft['links']>, field: string): StyleRules['links'] {
  const domains = list(draft.allowedDomains, `${field}.allowedDomains`, LIMITS.domains).map((d, i) => {
    const domain = typeof d === 'string' ? normalizeDomain(d) : null;
    if (!domain)
      throw AppError.badInput(
        `"${String(d).slice(0, 80)}" is not a domain name like brand.com`,
        `${field}.allowedDomains[${i}]`,
      );
    return domain;
  });
  return {
    allowedDomains: [...new Set(domains)],
    severity: severity(draft.severity, DEFAULT_SEVERITY.links, `${field}.severity`),
  };
}

function languages(values: string[] | null | undefined, field: string): string[] {
  const keys = list(values, field, LIMITS.languages).map((tag, i) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(String(tag).trim());
      if (canonical) return languageKey(canonical);
    } catch {
      // falls through to the error below
    }
    throw AppError.badInput(`"${String(tag).slice(0, 40)}" is not a BCP-47 language tag`, `${field}[${i}]`);
  });
  return [...new Set(keys)];
}

function severity(value: Severity | null | undefined, fallback: Severity, field: string): Severity {
  if (value == null) return fallback;
  if (!Object.values(Severity).includes(value)) throw AppError.badInput('Severity is BLOCK or WARN', field);
  return value;
}

function list<T>(values: T[] | null | undefined, field: string, max: number): T[] {
  if (values == null) return [];
  if (!Array.isArray(values)) throw AppError.badInput('Expected a list', field);
  if (values.length > max) throw AppError.badInput(`At most ${max} entries`, field);
  return values;
}

function int(value: number | null | undefined, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw AppError.badInput(`Must be a whole number from ${min} to ${max}`, field);
  }
  return value;
}

function text(value: string | null | undefined, field: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw AppError.badInput('Expected text', field);
  const trimmed = value.normalize('NFC').trim();
  if (!trimmed && !allowEmpty) throw AppError.badInput('Must not be empty', field);
  if (trimmed.length > max) throw AppError.badInput(`At most ${max} characters`, field);
  return trimmed;
}
