import { CompiledLexicon } from './lexicon';
import { exclamations, Token, tokenize } from './tokenize';

/** A negator reaches this many words ahead: "not really that good" is still negated. */
const NEGATION_WINDOW = 3;
/**
 * A negated word keeps part of its strength, reversed: "not bad" is mildly positive, not as positive
 * as "good" (VADER's -0.74, Hutto & Gilbert 2014).
 */
const NEGATION_FACTOR = -0.74;
/** Before a contrast word the clause counts half, after it 1.5×: "nice staff but the app is broken". */
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const SHOUT_FACTOR = 1.3;
/** Each '!' (at most three) strengthens a text that already leans one way. */
const EXCLAMATION_STEP = 0.1;
/** Normalisation x / sqrt(x² + α) squeezes the raw sum into -1..1; α = 15 is VADER's choice. */
const ALPHA = 15;

/** Looks up one word: exact, then the longest stem it begins with. */
function wordValence(lex: CompiledLexicon, word: string): number | undefined {
  const exact = lex.exact.get(word);
  if (exact !== undefined) return exact;
  for (const len of lex.prefixLengths) {
    if (len > word.length) continue;
    const v = lex.prefixes.get(word.slice(0, len));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Valence of the token at i (word, emoji or the phrase starting there) and how many tokens it spans. */
function valenceAt(lex: CompiledLexicon, tokens: Token[], i: number): { valence?: number; span: number } {
  const t = tokens[i];
  if (!t || t.kind === 'break') return { span: 1 };
  if (t.kind === 'emoji') return { valence: lex.exact.get(t.value), span: 1 };
  // Longest phrase first: "tuyệt vời" before "vời", "ikke verdt" before "verdt".
  for (let n = Math.min(lex.maxPhrase, tokens.length - i); n >= 2; n--) {
    const phrase = tokens
      .slice(i, i + n)
      .map((x) => x.value)
      .join(' ');
    const v = lex.phrases.get(phrase);
    if (v !== undefined) return { valence: v, span: n };
  }
  return { valence: wordValence(lex, t.value), span: 1 };
}

/** Lexicon-based sentiment, -1..1, with negation, intensifiers, contrast, shouting and '!'. */
export function scoreWithLexicon(lex: CompiledLexicon, text: string): number {
  const tokens: Token[] = tokenize(text);
  let sum = 0;
  let weight = 1;
  let negateLeft = 0;
  let boost = 1;
  let last = 0; // the previous sentiment contribution, for post-intensifiers
  let lastEnd = -1; // index just after the token (or phrase) that made it
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'break') {
      // "không hoàn tiền. Lừa đảo!": the negation ends with its clause.
      negateLeft = 0;
      boost = 1;
      continue;
    }
    const { valence, span } = valenceAt(lex, tokens, i);
    if (span === 1 && t.kind === 'word') {
      // Function words first. A word that is both ("super", "quá") is read by its neighbours:
      // after a sentiment word it strengthens that word ("tệ quá"), before one it strengthens the
      // next ("quá tệ", "super obsługa"), alone it counts as itself ("super!").
      const post = lex.postIntensifiers.get(t.value);
      if (post !== undefined && lastEnd === i) {
        sum += last * (post - 1);
        last *= post;
        lastEnd = i + 1;
        continue;
      }
      const pre = lex.intensifiers.get(t.value);
      if (pre !== undefined && (valence === undefined || valenceAt(lex, tokens, i + 1).valence)) {
        boost = pre;
        continue;
      }
      if (lex.negators.has(t.value)) {
        negateLeft = NEGATION_WINDOW;
        continue;
      }
      if (lex.contrast.has(t.value)) {
        sum *= BEFORE_CONTRAST;
        weight = AFTER_CONTRAST;
        negateLeft = 0;
        continue;
      }
    }
    if (!valence) {
      if (negateLeft > 0) negateLeft--;
      i += span - 1;
      continue;
    }
    let v = valence * boost * weight;
    if (t.shouted) v *= SHOUT_FACTOR;
    // Emoji are not negated: in "not happy 😡" the emoji already carries the writer's mood.
    if (negateLeft > 0 && t.kind === 'word') {
      v *= NEGATION_FACTOR;
      negateLeft = 0;
    }
    sum += v;
    last = v;
    boost = 1;
    i += span - 1;
    lastEnd = i + 1;
  }
  if (sum !== 0) sum *= 1 + Math.min(exclamations(text), 3) * EXCLAMATION_STEP;
  return sum / Math.sqrt(sum * sum + ALPHA);
}
