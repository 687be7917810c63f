import type { Transcript } from "../../lib/transcripts/types";

/** The few numbers D1 keeps about a transcript (the transcript itself lives in R2). */
export interface TranscriptSummary {
  language: string;
  /** Seconds, to the millisecond. */
  duration: number;
  words: number;
  segments: number;
  /** Unicode code points of the full text (not UTF-16 units, not bytes). */
  characters: number;
}

export function transcriptSummary(transcript: Transcript): TranscriptSummary {
  let characters = 0;
  for (const _ of transcript.text) characters++;
  return {
    language: transcript.language,
    duration: Math.round(transcript.duration * 1000) / 1000,
    words: transcript.words.length,
    segments: transcript.segments.length,
    characters,
  };
}
