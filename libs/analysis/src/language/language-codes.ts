/** The languages Caredesk is measured on (test/fixtures/analysis); detection considers them always. */
export const PROJECT_LANGUAGES = ['en', 'no', 'sv', 'pl', 'id', 'vi'] as const;

/**
 * Codes that name the same language for our purposes. Norwegian is stored as 'no' (the ISO 639-1
 * macrolanguage): tinyld answers 'no', platforms and browsers send 'nb'/'nn', and an inbox filter on
 * "Norwegian" must find both written standards. 'in' is the withdrawn ISO 639 code for Indonesian
 * that Java-era clients still send.
 */
const ALIASES: Record<string, string> = { nb: 'no', nn: 'no', nob: 'no', nno: 'no', nor: 'no', in: 'id' };

/**
 * A BCP 47 tag or ISO code ('nb-NO', 'EN_gb', 'sv') → its lower-case ISO 639-1 primary subtag in
 * our convention, or null when it is not a two-letter language ('', 'und', 'x-klingon', 'zz1').
 */
export function normaliseLanguageCode(tag: string | null | undefined): string | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  const code = ALIASES[primary] ?? primary;
  return /^[a-z]{2}$/.test(code) ? code : null;
}
