import { AppError, ErrorCode } from '@caredesk/core';
import { TEMPLATE_VARIABLES } from '@caredesk/style-guides';

/**
 * Canned reply templates: plain text with `{{variable}}` placeholders, each optionally with a
 * fallback for when the value is unknown: `Hi {{contact.firstName | "there"}}!`. Templates are checked
 * when saved (an unknown variable is BAD_USER_INPUT then, not a blank in front of a customer later)
 * and rendered on the server, so every client renders them the same way.
 */
// One vocabulary for canned replies and style-guide greeting/sign-off templates.
export { TEMPLATE_VARIABLES };

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Partial<Record<TemplateVariable, string | null>>;

type Segment = { text: string } | { variable: TemplateVariable; fallback: string | null };

const KNOWN = new Set<string>(TEMPLATE_VARIABLES);
/** `name` or `name | "fallback"`; the fallback is any text without a double quote. */
const PLACEHOLDER = /^\s*([A-Za-z][\w.]*)\s*(?:\|\s*"([^"]*)"\s*)?$/;

/** Splits a template into text and placeholders; BAD_USER_INPUT (on `field`) for anything malformed. */
export function parseTemplate(template: string, field = 'body'): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    if (open < 0) break;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) throw AppError.badInput('A "{{" has no closing "}}"', field);
    const inner = template.slice(open + 2, close);
    const m = PLACEHOLDER.exec(inner);
    if (!m)
      throw AppError.badInput(
        `"{{${inner}}}" is not a variable; write {{name}} or {{name | "fallback"}}`,
        field,
      );
    if (!KNOWN.has(m[1])) {
      throw new AppError(
        ErrorCode.BAD_USER_INPUT,
        `Unknown variable "${m[1]}"; known: ${TEMPLATE_VARIABLES.join(', ')}`,
        { field, variable: m[1] },
      );
    }
    if (open > at) segments.push({ text: template.slice(at, open) });
    segments.push({ variable: m[1] as TemplateVariable, fallback: m[2] ?? null });
    at = close + 2;
  }
  if (at < template.length) segments.push({ text: template.slice(at) });
  return segments;
}

/** The variables a template uses, for callers that need to know what to look up. */
export function templateVariables(template: string): Set<TemplateVariable> {
  const used = new Set<TemplateVariable>();
  for (const s of parseTemplate(template)) if ('variable' in s) used.add(s.variable);
  return used;
}

/** Renders a (valid) template: a missing or blank value takes the placeholder's fallback, or nothing. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return parseTemplate(template)
    .map((s) => {
      if ('text' in s) return s.text;
      const value = values[s.variable]?.trim();
      return value ? value : (s.fallback ?? '');
    })
    .join('');
}

/** "Carla Customer" → "Carla". */
export function firstName(name: string | null | undefined): string | null {
  const first = name?.trim().split(/\s+/u)[0];
  return first ? first : null;
}
