import { StyleRuleKind } from '../style-check.types';
import { PhraseRule, StyleRules } from '../style-rules';
import { phrasePattern } from '../text-patterns';
import { appliesTo, RuleCheck, violation } from './rule-check';

interface PhraseGroup {
  kind: StyleRuleKind;
  rules: PhraseRule[];
  message(text: string): string;
  fallbackSuggestion: string;
}

/** One regex for a group of phrases, each in its own capture group so a match names its rule. */
interface PhraseMatcher {
  regex: RegExp;
  rules: PhraseRule[];
}

/** Banned phrases, never-promise phrases and competitor names: one regex scan per group. */
export function phraseRules(rules: StyleRules): RuleCheck | null {
  const all: PhraseGroup[] = [
    {
      kind: StyleRuleKind.BANNED_PHRASE,
      rules: rules.bannedPhrases,
      message: (text) => `"${text}" is not used by this brand`,
      fallbackSuggestion: 'Rephrase without it',
    },
    {
      kind: StyleRuleKind.NEVER_PROMISE,
      rules: rules.neverPromise,
      message: (text) => `Only a manager may promise "${text}"`,
      fallbackSuggestion: 'Ask a manager first',
    },
    {
      kind: StyleRuleKind.COMPETITOR,
      rules: rules.competitors,
      message: (text) => `"${text}" is a competitor`,
      fallbackSuggestion: 'Leave competitors unnamed',
    },
  ];
  const groups = all.filter((g) => g.rules.length > 0);
  if (groups.length === 0) return null;

  // Matchers per reply language, built on first use: a rule limited to some languages is left out
  // of the regex for the others (few distinct languages per brand, so few entries).
  const byLanguage = new Map<string, PhraseMatcher[]>();
  const matchersFor = (language: string): PhraseMatcher[] => {
    let matchers = byLanguage.get(language);
    if (!matchers) {
      matchers = groups.map((g) => phraseMatcher(g.rules.filter((r) => appliesTo(r.languages, language))));
      byLanguage.set(language, matchers);
    }
    return matchers;
  };

  return (draft, report) => {
    const matchers = matchersFor(draft.language);
    groups.forEach((group, g) => {
      const { regex, rules: ordered } = matchers[g];
      if (ordered.length === 0) return;
      for (const m of draft.body.matchAll(regex)) {
        const rule = ordered[m.findIndex((v, i) => i > 0 && v !== undefined) - 1];
        report(
          violation(
            group.kind,
            rule.severity,
            draft.span(m.index, m.index + m[0].length),
            group.message(m[0]),
            rule.replacement ? `Write "${rule.replacement}" instead` : group.fallbackSuggestion,
          ),
        );
      }
    });
  };
}

function phraseMatcher(rules: PhraseRule[]): PhraseMatcher {
  // Longest first, so "hoàn tiền ngay" wins over "hoàn tiền" at the same position.
  const ordered = [...rules].sort((a, b) => b.phrase.length - a.phrase.length);
  const source = ordered.map((r) => `(${phrasePattern(r.phrase)})`).join('|');
  return { regex: new RegExp(source || '(?!)', 'giu'), rules: ordered };
}
