/**
 * The normalised transcript every provider's answer becomes (stored as JSON in R2; D1 keeps a
 * pointer and a summary). Times are seconds (float) from the start of the audio that was sent.
 */
export interface TranscriptWord {
  start: number;
  end: number;
  word: string;
  /** 0–1 when the provider reports it. */
  probability?: number;
}

export interface TranscriptSegment {
  id: number;
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  /** ISO 639-1 code ("ru", "en"); providers that answer with a language name are mapped. */
  language: string;
  /** Seconds of audio the provider transcribed. */
  duration: number;
  text: string;
  words: TranscriptWord[];
  /** The provider's segments when it gives them, otherwise built from the words (LEAP's rules). */
  segments: TranscriptSegment[];
  provider: string;
  model: string;
}
