import { StyleRuleKind } from '../style-check.types';
import { Template, TemplateRule } from '../style-rules';
import { lineSpan, templatePattern, VARIABLE, VARIABLE_MAX } from '../text-patterns';
import { appliesTo, firstName, RuleCheck, violation } from './rule-check';

interface CompiledTemplate {
  template: Template;
  regex: RegExp;
  /** How far from the end a sign-off can start: only the body's tail is scanned. */
  reach: number;
}

/**
 * Greeting (the reply opens with one of the templates that apply to its language and kind) or
 * sign-off (it ends with one). Missing: the first or last non-blank line is the span.
 */
export function templateRule(rule: TemplateRule | null, position: 'start' | 'end'): RuleCheck | null {
  if (!rule || rule.templates.length === 0) return null;
  const templates: CompiledTemplate[] = rule.templates.map((template) => {
    const pattern = templatePattern(template.template);
    const variables = [...template.template.matchAll(VARIABLE)].length;
    return {
      template,
      regex: new RegExp(position === 'start' ? `^\\s*${pattern}` : `${pattern}\\s*$`, 'iu'),
      reach: template.template.length * 2 + variables * VARIABLE_MAX + 16,
    };
  });

  return (draft, report) => {
    const { body, kind } = draft;
    const applicable = templates.filter(
      (t) =>
        appliesTo(t.template.languages, draft.language) &&
        (kind === null || t.template.kinds.length === 0 || t.template.kinds.includes(kind)),
    );
    if (applicable.length === 0) return;
    const from = (t: CompiledTemplate) => (position === 'end' ? Math.max(0, body.length - t.reach) : 0);
    if (applicable.some((t) => t.regex.test(body.slice(from(t))))) return;
    const example = render(applicable[0].template.template, draft.contactName);
    report(
      position === 'start'
        ? violation(
            StyleRuleKind.GREETING,
            rule.severity,
            draft.span(...lineSpan(body, 'first')),
            'The reply does not open with the brand greeting',
            `Start with "${example}"`,
          )
        : violation(
            StyleRuleKind.SIGN_OFF,
            rule.severity,
            draft.span(...lineSpan(body, 'last')),
            'The reply does not end with the brand sign-off',
            `End with "${example}"`,
          ),
    );
  };
}

/** A template with the contact's name filled in where known, for the suggestion. */
function render(template: string, contactName: string | null): string {
  return template.replace(VARIABLE, (whole, name: string) => {
    if (!contactName?.trim()) return whole;
    if (name === 'contact.firstName') return firstName(contactName);
    if (name === 'contact.name') return contactName.trim();
    return whole;
  });
}
