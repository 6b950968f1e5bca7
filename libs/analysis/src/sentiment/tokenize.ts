import { languageBearingText } from '../language/detect-language';

/** 'break': a clause boundary (. , ; : ! ? or a line break); negation and intensifiers stop there. */
export type TokenKind = 'word' | 'emoji' | 'break';

export interface Token {
  kind: TokenKind;
  /** Lower-cased, NFC; emoji without variation selectors and skin tones, emoticons as written. */
  value: string;
  /** Written in capitals ("TERRIBLE"): shouting strengthens the word. */
  shouted: boolean;
}

// Western emoticons are matched before words so ":D" is not read as the letter d.
const EMOTICON = String.raw`(?:<3+|[:;=]-?[)(DPpOo/\\|*]+|\)+:|xD+|XD+)`;
const TOKEN = new RegExp(
  `(${EMOTICON})|(\\p{Extended_Pictographic})|([\\p{L}\\p{M}][\\p{L}\\p{M}\\p{N}'’]*)|([.,;:!?\\n]+)`,
  'gu',
);
// Variation selectors, skin-tone modifiers and the zero-width joiner: "👍🏽" scores like "👍".
const EMOJI_MODIFIERS = /[\uFE0E\uFE0F\u200D]|\p{Emoji_Modifier}/gu;

/** Words, emoji and clause breaks in reading order; links, @handles and other punctuation dropped. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const source = languageBearingText(text.normalize('NFC')).replace(EMOJI_MODIFIERS, '');
  for (const m of source.matchAll(TOKEN)) {
    if (m[4] !== undefined) {
      if (tokens.length && tokens[tokens.length - 1].kind !== 'break') {
        tokens.push({ kind: 'break', value: '.', shouted: false });
      }
    } else if (m[1] !== undefined || m[2] !== undefined) {
      tokens.push({ kind: 'emoji', value: (m[1] ?? m[2]).toLowerCase(), shouted: false });
    } else {
      const raw = m[3].replace(/’/g, "'");
      const value = raw.toLowerCase();
      tokens.push({
        kind: 'word',
        value,
        shouted: raw.length > 2 && raw !== value && raw === raw.toUpperCase(),
      });
    }
  }
  return tokens;
}

/** Exclamation marks in the text (capped by the scorer): "worst service!!!" is angrier than "worst service". */
export function exclamations(text: string): number {
  return text.match(/!/g)?.length ?? 0;
}
