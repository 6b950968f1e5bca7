/**
 * The key a reply's language is compared by: the primary subtag, lower-case ("nb-NO" → "nb"), with
 * Norwegian Bokmål and Nynorsk folded into "no" (detectors and users mix all three). '*' = unknown.
 */
export function languageKey(tag: string | null | undefined): string {
  const primary = tag?.trim().split(/[-_]/, 1)[0].toLowerCase();
  if (!primary) return '*';
  return primary === 'nb' || primary === 'nn' ? 'no' : primary;
}
