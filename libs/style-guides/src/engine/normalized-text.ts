/**
 * The text the rules look at, and the way back to the caller's text. A reply arrives in whatever form
 * the agent's keyboard produced: Vietnamese Windows keyboards type a precomposed vowel plus a
 * separate tone mark ("ti\u00EA\u0300n"), macOS and iOS type "’" for "'", a pasted text may carry
 * zero-width spaces or soft hyphens inside a word. Rules match and count on one canonical form, and
 * every violation span is mapped back to UTF-16 offsets in the text the caller sent.
 */

/** Invisible characters that never separate words: zero-width space, soft hyphen, word joiner, BOM. */
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/gu;
/** Typographic apostrophes (’ ‘ ʼ) and hyphens (‐ non-breaking ‑) → their ASCII forms. */
const FOLDS = /[\u2018\u2019\u02BC\u2010\u2011]/gu;
const FOLDED: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u02BC': "'",
  '\u2010': '-',
  '\u2011': '-',
};
const NEEDS_FOLDING = /[\u00AD\u200B\u2060\uFEFF\u2018\u2019\u02BC\u2010\u2011]/u;
// eslint-disable-next-line no-control-regex -- "only ASCII" is a range that starts at U+0000
const ASCII = /^[\x00-\x7F]*$/;

/** A base character with its combining marks (or marks with no base): NFC never composes across these. */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;

/** The matching form of a text (a phrase, a template, a name): NFC, invisibles removed, folded. */
export function matchForm(text: string): string {
  const nfc = text.normalize('NFC');
  return NEEDS_FOLDING.test(nfc) ? fold(nfc) : nfc;
}

function fold(nfc: string): string {
  return nfc.replace(INVISIBLE, '').replace(FOLDS, (c) => FOLDED[c]);
}

export class NormalizedText {
  private constructor(
    /** The normalized text. */
    readonly text: string,
    private readonly original: string,
    /** null: `text` is `original` (offsets are the same). */
    private readonly map: {
      /** For each code unit of `text`, the cluster it came from. */
      clusterOf: Int32Array;
      /** [start, end) of each cluster in the original. */
      origStart: Int32Array;
      origEnd: Int32Array;
    } | null,
  ) {}

  /** The form phrase rules, templates, names and links are matched on (matchForm). */
  static forMatching(original: string): NormalizedText {
    return NormalizedText.build(original, true);
  }

  /** NFC only: what platforms count (X normalizes to NFC before counting, developer docs). */
  static forCounting(original: string): NormalizedText {
    return NormalizedText.build(original, false);
  }

  private static build(original: string, folding: boolean): NormalizedText {
    // Fast path, nearly every reply: already in the wanted form, no copy and no map.
    if (ASCII.test(original) && !(folding && NEEDS_FOLDING.test(original))) {
      return new NormalizedText(original, original, null);
    }
    const whole = folding ? matchForm(original) : original.normalize('NFC');
    if (whole === original) return new NormalizedText(original, original, null);

    // Cluster by cluster, so each piece of the result knows where it came from.
    const clusterOf = new Int32Array(whole.length);
    const starts: number[] = [];
    const ends: number[] = [];
    let text = '';
    for (const m of original.matchAll(CLUSTER)) {
      const piece = folding ? matchForm(m[0]) : m[0].normalize('NFC');
      const c = starts.length;
      starts.push(m.index);
      ends.push(m.index + m[0].length);
      if (text.length + piece.length > whole.length) break;
      clusterOf.fill(c, text.length, text.length + piece.length);
      text += piece;
    }
    // NFC composes across base characters only for Hangul jamo and a few Indic vowel pairs (none
    // in the project's languages): then the reply is checked as typed rather than mis-mapped.
    if (text !== whole) return new NormalizedText(original, original, null);
    return new NormalizedText(text, original, {
      clusterOf,
      origStart: Int32Array.from(starts),
      origEnd: Int32Array.from(ends),
    });
  }

  /** [start, end) in `text` → [start, end) in the original, widened to whole clusters. */
  span(start: number, end: number): [number, number] {
    const map = this.map;
    if (!map) return [start, end];
    const n = this.text.length;
    const s = start >= n ? this.original.length : map.origStart[map.clusterOf[start]];
    const e = end <= 0 ? 0 : end > n ? this.original.length : map.origEnd[map.clusterOf[end - 1]];
    return [s, Math.max(s, e)];
  }
}
