import { Platform } from '@caredesk/channels';
import { check, spans } from './spec-helpers';
import { EmojiMode, LengthScope } from './style-rules';
import { StyleRuleKind } from './style-check.types';

/**
 * Every checked rule in each of the project's languages: a reply that breaks them all, with the
 * offending spans, and the same reply fixed. Words with the language's own letters sit at the
 * edges of phrases, names and templates, where ASCII-only word boundaries would go wrong.
 */
interface Case {
  language: string;
  /** Banned phrase and a longer word that contains it (must not match). */
  banned: [string, string];
  promise: string;
  greeting: string;
  signOff: string;
  contact: string;
  filler: string;
}

const CASES: Case[] = [
  {
    language: 'en',
    banned: ['ass', 'classes'],
    promise: 'full refund',
    greeting: 'Hi',
    signOff: 'Best wishes',
    contact: 'Zoë Brontë',
    filler: 'thanks for writing',
  },
  {
    language: 'no',
    banned: ['blæh', 'blæhete'],
    promise: 'full refusjon',
    greeting: 'Hei',
    signOff: 'Hilsen',
    contact: 'Øystein Ås',
    filler: 'takk for at du skrev',
  },
  {
    language: 'sv',
    banned: ['dålig', 'dåligare'],
    promise: 'pengarna tillbaka',
    greeting: 'Hej',
    signOff: 'Vänliga hälsningar',
    contact: 'Åsa Öberg',
    filler: 'tack för att du hörde av dig',
  },
  {
    language: 'pl',
    banned: ['tanio', 'tanioch'],
    promise: 'zwrot pieniędzy',
    greeting: 'Cześć',
    signOff: 'Pozdrawiamy',
    contact: 'Łucja Żak',
    filler: 'dziękujemy za wiadomość',
  },
  {
    language: 'id',
    banned: ['murahan', 'murahannya'],
    promise: 'uang kembali',
    greeting: 'Halo',
    signOff: 'Salam hangat',
    contact: 'Dewi Lestari',
    filler: 'terima kasih sudah menghubungi',
  },
  {
    language: 'vi',
    banned: ['rẻ tiền', 'rẻ tiềnx'],
    promise: 'hoàn tiền',
    greeting: 'Chào',
    signOff: 'Trân trọng',
    contact: 'Nguyễn Thị Ánh',
    filler: 'cảm ơn bạn đã liên hệ',
  },
];

describe.each(CASES)('every rule in $language', (c) => {
  const rules = {
    bannedPhrases: [{ phrase: c.banned[0], languages: [c.language] }],
    neverPromise: [{ phrase: c.promise }],
    competitors: [{ phrase: 'Ålesund Øl' }],
    greeting: { templates: [{ template: `${c.greeting} {{contact.firstName}},`, languages: [c.language] }] },
    signOff: { templates: [{ template: `${c.signOff}, {{agent.firstName}}`, languages: [c.language] }] },
    emoji: { mode: EmojiMode.MAX, max: 1 },
    exclamationMarks: { max: 1 },
    customerNameInDirectMessages: { required: true },
    links: { allowedDomains: ['brand.com'] },
    // A DM: X's DM limit, set lower, counted in code points (the public limit is X's weighted count).
    maxLength: [{ platform: Platform.X, scope: LengthScope.PRIVATE, max: 200 }],
  };
  const firstName = c.contact.split(' ')[0];
  const subject = (body: string) => ({
    body,
    language: c.language,
    kind: 'DM' as const,
    platform: Platform.X,
    contactName: c.contact,
  });

  it('a clean reply has no violation (a longer word containing the banned one is not it)', () => {
    const body = `${c.greeting} ${firstName.toUpperCase()}, ${c.filler} ${c.banned[1]} 🇳🇴!\n${c.signOff}, Kari`;
    expect(check(rules, subject(body)).violations).toEqual([]);
  });

  it('a reply that breaks each rule gets one violation per rule, with its span', () => {
    const banned = c.banned[0].toUpperCase();
    const body = `${c.filler}: ${banned}, ${c.promise}, ÅLESUND ØL 👩‍👩‍👧 🇵🇱!! evil.io ${'å'.repeat(120)}😀 ${'x'.repeat(20)}`;
    const r = check(rules, subject(body));
    const byRule: Record<string, string[]> = {};
    for (const v of r.violations) (byRule[v.rule] ??= []).push(body.slice(v.start, v.end));
    expect(byRule).toEqual({
      [StyleRuleKind.GREETING]: [body],
      [StyleRuleKind.CUSTOMER_NAME]: [body],
      [StyleRuleKind.SIGN_OFF]: [body],
      [StyleRuleKind.BANNED_PHRASE]: [banned],
      [StyleRuleKind.NEVER_PROMISE]: [c.promise],
      [StyleRuleKind.COMPETITOR]: ['ÅLESUND ØL'],
      [StyleRuleKind.EMOJI]: ['🇵🇱', '😀'],
      [StyleRuleKind.EXCLAMATION_MARKS]: ['!'],
      [StyleRuleKind.LINK]: ['evil.io'],
      // The 201st code point onwards (counted in code points: 👩‍👩‍👧 is five, 😀 one).
      [StyleRuleKind.MAX_LENGTH]: [[...body].slice(200).join('')],
    });
    // Sorted by position.
    expect(r.violations.map((v) => v.start)).toEqual(
      [...r.violations.map((v) => v.start)].sort((a, b) => a - b),
    );
    expect(spans(body, r.violations).every((s) => s.length > 0)).toBe(true);
  });
});
