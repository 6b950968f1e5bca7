export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

export interface TextSentiment {
  /** -1 (most negative) .. 1 (most positive). */
  score: number;
  label: SentimentLabel;
}

/** What the ingest worker stores on a message (and rolls up onto its conversation). */
export interface TextAnalysis {
  /** ISO 639-1 primary subtag ('en', 'no', 'sv', 'pl', 'id', 'vi', …), or null when the text is too short to tell. */
  language: string | null;
  /** Null when there is nothing to judge (empty text, an attachment without a caption). */
  sentiment: TextSentiment | null;
}

export interface TextAnalysisItem {
  text: string;
  /** Languages the text is likely in (the brand's languages, the contact's last language): BCP 47 tags or ISO codes. */
  languageHints?: string[];
}

/**
 * Language and sentiment of inbound text. Batch-shaped because the ingest worker analyses many
 * messages per transaction and an external model service answers a batch in one round trip. The
 * answer has one entry per item, in order. Implementations never throw for a bad text: the message
 * is stored whatever its analysis.
 */
export abstract class TextAnalyser {
  abstract analyse(items: TextAnalysisItem[]): Promise<TextAnalysis[]>;
}
