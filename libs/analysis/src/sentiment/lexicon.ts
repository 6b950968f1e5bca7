/**
 * A sentiment word list for one language, written for short customer-care texts. Valences are
 * -3..3. A key may be a phrase of up to three words ("tuyệt vời", "ikke verdt") or a stem ending in
 * '*' that matches any word it begins ("rozczarowa*" covers rozczarowany, rozczarowana, …): that
 * keeps inflected languages (Polish, Swedish, Norwegian) small without a stemmer.
 */
export interface SentimentLexicon {
  words: Record<string, number>;
  /** Flip the next sentiment word within NEGATION_WINDOW words ("not good", "ikke bra", "không tốt"). */
  negators: string[];
  /** Multiply the next sentiment word ("very", "veldig", "bardzo", "rất"). */
  intensifiers: Record<string, number>;
  /** Multiply the previous sentiment word (Indonesian "bagus banget", Vietnamese "tốt quá", "đẹp lắm"). */
  postIntensifiers?: Record<string, number>;
  /** "but": what follows outweighs what came before ("nice staff but the app is broken"). */
  contrast: string[];
}

export interface CompiledLexicon {
  exact: Map<string, number>;
  /** Phrase → valence, and the longest phrase length in words. */
  phrases: Map<string, number>;
  maxPhrase: number;
  /** Stem → valence, tried longest first. */
  prefixes: Map<string, number>;
  prefixLengths: number[];
  negators: Set<string>;
  intensifiers: Map<string, number>;
  postIntensifiers: Map<string, number>;
  contrast: Set<string>;
}

/** Later lexicons override earlier ones for the same key (the detected language over the shared list). */
export function compileLexicons(...lexicons: SentimentLexicon[]): CompiledLexicon {
  const c: CompiledLexicon = {
    exact: new Map(),
    phrases: new Map(),
    maxPhrase: 1,
    prefixes: new Map(),
    prefixLengths: [],
    negators: new Set(),
    intensifiers: new Map(),
    postIntensifiers: new Map(),
    contrast: new Set(),
  };
  for (const lex of lexicons) {
    for (const [rawKey, valence] of Object.entries(lex.words)) {
      const key = rawKey.normalize('NFC').toLowerCase();
      if (key.includes(' ')) {
        c.phrases.set(key, valence);
        c.maxPhrase = Math.max(c.maxPhrase, key.split(' ').length);
      } else if (key.endsWith('*')) {
        c.prefixes.set(key.slice(0, -1), valence);
      } else {
        c.exact.set(key, valence);
      }
    }
    for (const n of lex.negators) {
      if (n.includes(' ')) throw new Error(`negator "${n}" must be one word`);
      c.negators.add(n.normalize('NFC'));
    }
    for (const [k, v] of Object.entries(lex.intensifiers)) c.intensifiers.set(k.normalize('NFC'), v);
    for (const [k, v] of Object.entries(lex.postIntensifiers ?? {}))
      c.postIntensifiers.set(k.normalize('NFC'), v);
    for (const k of lex.contrast) c.contrast.add(k.normalize('NFC'));
  }
  c.prefixLengths = [...new Set([...c.prefixes.keys()].map((k) => k.length))].sort((a, b) => b - a);
  return c;
}
