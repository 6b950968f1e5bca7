import { AppError, ErrorCode } from '@caredesk/core';
import { Platform } from '@caredesk/channels';
import { normalizeRules, StyleRulesDraft } from './normalize-rules';
import { EmojiMode, emptyRules, LengthScope, StyleRules, upgradeRules } from './style-rules';
import { Severity } from './style-check.types';

function fieldOf(draft: StyleRulesDraft): string | undefined {
  try {
    normalizeRules(draft);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(ErrorCode.BAD_USER_INPUT);
    return (e as AppError).details?.field as string;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('normalizeRules', () => {
  it('an empty draft is the empty guide, with the platform length defaults copied in', () => {
    expect(normalizeRules({})).toEqual(emptyRules());
    expect(normalizeRules({}).maxLength).toEqual(
      expect.arrayContaining([
        { platform: Platform.X, scope: LengthScope.PUBLIC, max: 280, severity: Severity.BLOCK },
        { platform: Platform.X, scope: LengthScope.PRIVATE, max: 10_000, severity: Severity.BLOCK },
        { platform: Platform.INSTAGRAM, scope: LengthScope.PRIVATE, max: 1000, severity: Severity.BLOCK },
        { platform: Platform.FACEBOOK_PAGE, scope: LengthScope.PRIVATE, max: 2000, severity: Severity.BLOCK },
      ]),
    );
  });

  it('trims, NFC-normalizes and collapses whitespace of phrases; canonicalizes languages', () => {
    const r = normalizeRules({
      bannedPhrases: [{ phrase: '  hoa\u0300n   tie\u0302\u0300n ', languages: ['VI-vn', 'nb', 'no'] }],
    });
    expect(r.bannedPhrases).toEqual([
      { phrase: 'hoàn tiền', replacement: null, languages: ['vi', 'no'], severity: Severity.BLOCK },
    ]);
  });

  it('a manager-set platform length replaces the default of its scope (PUBLIC when not given)', () => {
    const r = normalizeRules({
      maxLength: [
        { platform: Platform.X, max: 200, severity: Severity.WARN },
        { platform: Platform.INSTAGRAM, scope: LengthScope.PRIVATE, max: 500 },
      ],
    });
    expect(r.maxLength.filter((m) => m.platform !== Platform.FACEBOOK_PAGE)).toEqual(
      expect.arrayContaining([
        { platform: Platform.X, scope: LengthScope.PUBLIC, max: 200, severity: Severity.WARN },
        { platform: Platform.X, scope: LengthScope.PRIVATE, max: 10_000, severity: Severity.BLOCK },
        { platform: Platform.INSTAGRAM, scope: LengthScope.PUBLIC, max: 2200, severity: Severity.BLOCK },
        { platform: Platform.INSTAGRAM, scope: LengthScope.PRIVATE, max: 500, severity: Severity.BLOCK },
      ]),
    );
  });

  it('reads a version saved before length scopes as public limits, with the DM defaults added', () => {
    const old = {
      ...emptyRules(),
      maxLength: [{ platform: Platform.X, max: 200, severity: Severity.WARN }],
    } as unknown as StyleRules;
    const upgraded = upgradeRules(old);
    expect(upgraded.maxLength).toEqual(
      expect.arrayContaining([
        { platform: Platform.X, scope: LengthScope.PUBLIC, max: 200, severity: Severity.WARN },
        { platform: Platform.X, scope: LengthScope.PRIVATE, max: 10_000, severity: Severity.BLOCK },
        { platform: Platform.TIKTOK, scope: LengthScope.PUBLIC, max: 150, severity: Severity.BLOCK },
      ]),
    );
    const current = normalizeRules({});
    expect(upgradeRules(current)).toBe(current);
  });

  it.each<[string, StyleRulesDraft, string]>([
    ['an empty phrase', { bannedPhrases: [{ phrase: '  ' }] }, 'rules.bannedPhrases[0].phrase'],
    ['a phrase of punctuation only', { neverPromise: [{ phrase: '!!!' }] }, 'rules.neverPromise[0].phrase'],
    [
      'a repeated phrase (case-insensitive)',
      { competitors: [{ phrase: 'Acme' }, { phrase: 'ACME' }] },
      'rules.competitors[1].phrase',
    ],
    ['a too long phrase', { bannedPhrases: [{ phrase: 'x'.repeat(101) }] }, 'rules.bannedPhrases[0].phrase'],
    [
      'a bad language tag',
      { bannedPhrases: [{ phrase: 'x', languages: ['not a tag!'] }] },
      'rules.bannedPhrases[0].languages[0]',
    ],
    [
      'a bad severity',
      { bannedPhrases: [{ phrase: 'x', severity: 'LOUD' as Severity }] },
      'rules.bannedPhrases[0].severity',
    ],
    [
      'an unknown template variable',
      { greeting: { templates: [{ template: 'Hi {{user.password}}' }] } },
      'rules.greeting.templates[0].template',
    ],
    [
      'unbalanced braces',
      { signOff: { templates: [{ template: 'Bye {{agent.firstName}' }] } },
      'rules.signOff.templates[0].template',
    ],
    [
      'a template of variables only',
      { greeting: { templates: [{ template: '{{contact.firstName}}' }] } },
      'rules.greeting.templates[0].template',
    ],
    ['no templates', { greeting: { templates: [] } }, 'rules.greeting.templates'],
    [
      'an unknown kind',
      { greeting: { templates: [{ template: 'Hi', kinds: ['FAX' as 'DM'] }] } },
      'rules.greeting.templates[0].kinds[0]',
    ],
    ['MAX emoji without max', { emoji: { mode: EmojiMode.MAX } }, 'rules.emoji.max'],
    ['MAX emoji of 0', { emoji: { mode: EmojiMode.MAX, max: 0 } }, 'rules.emoji.max'],
    ['a max with NONE', { emoji: { mode: EmojiMode.NONE, max: 3 } }, 'rules.emoji.max'],
    ['a length of 0', { maxLength: [{ platform: Platform.X, max: 0 }] }, 'rules.maxLength[0].max'],
    ['a fractional length', { maxLength: [{ platform: Platform.X, max: 2.5 }] }, 'rules.maxLength[0].max'],
    [
      'a platform twice',
      {
        maxLength: [
          { platform: Platform.X, max: 1 },
          { platform: Platform.X, scope: LengthScope.PUBLIC, max: 2 },
        ],
      },
      'rules.maxLength[1].platform',
    ],
    ['negative exclamation marks', { exclamationMarks: { max: -1 } }, 'rules.exclamationMarks.max'],
    [
      'a URL for a domain',
      { links: { allowedDomains: ['brand.com', 'https://x.com'] } },
      'rules.links.allowedDomains[1]',
    ],
    [
      'too many phrases',
      { bannedPhrases: Array.from({ length: 501 }, (_, i) => ({ phrase: `w${i}` })) },
      'rules.bannedPhrases',
    ],
    ['a too long description', { voice: { description: 'x'.repeat(5001) } }, 'rules.voice.description'],
  ])('refuses %s with the field', (_what, draft, field) => {
    expect(fieldOf(draft)).toBe(field);
  });
});
