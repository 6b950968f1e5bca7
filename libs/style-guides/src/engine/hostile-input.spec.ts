import { Platform } from '@caredesk/channels';
import { compileStyleGuide } from './compile-style-guide';
import { normalizeRules } from './normalize-rules';
import { EmojiMode } from './style-rules';

/**
 * Bodies built to make regexes backtrack (long runs of what the patterns almost match): the agent's
 * text is untrusted input to the checker. A catastrophic pattern would not finish at all (the suite
 * would stall here); how fast these are is measured by bench/check-reply.ts, not asserted (no timed
 * assertions in the test suite).
 */
describe('hostile input', () => {
  const guide = compileStyleGuide(
    normalizeRules({
      bannedPhrases: Array.from({ length: 100 }, (_, i) => ({ phrase: `a${'a'.repeat(i % 20)} b${i}` })),
      greeting: { templates: [{ template: 'Hi {{contact.firstName}} {{contact.name}},' }] },
      signOff: { templates: [{ template: '{{agent.firstName}}, {{brand.name}}.' }] },
      emoji: { mode: EmojiMode.NONE },
      exclamationMarks: { max: 0 },
      customerNameInDirectMessages: { required: true },
      links: { allowedDomains: ['brand.com'] },
    }),
  );

  it.each([
    ['a run of one letter', 'a'.repeat(10_000)],
    ['dotted labels without a TLD', 'a.'.repeat(5_000)],
    ['commas and spaces', 'Hi , , , '.repeat(1_000)],
    ['almost-phrases', 'aaaaaaaaaaaaaaaaaaaa '.repeat(500)],
    ['one long line of "x, "', `Hi ${'x, '.repeat(3_000)}`],
    ['emoji modifiers and joiners', '👍🏽\u200d'.repeat(2_000)],
  ])('%s: checked, and over the length limit', (_what, body) => {
    // An Instagram DM (code points, 1,000) and an X reply (twitter-text's weighted count, 280).
    for (const [kind, platform] of [
      ['DM', Platform.INSTAGRAM],
      ['COMMENT', Platform.X],
    ] as const) {
      const result = guide.check({ body, kind, contactName: 'Åse Berg', platform, language: 'en' });
      expect(result.violations.map((v) => v.rule)).toContain('MAX_LENGTH');
    }
  });
});
