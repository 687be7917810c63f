import { dropHallucinations } from "../transcripts/hallucinations";
import { hasSpeech } from "../transcripts/speech-bounds";
import type { TranscriptSegment } from "../../lib/transcripts/types";
import type { LongPause } from "./types";

/** LEAP's break threshold: 8 minutes. */
export const LONG_PAUSE_SECONDS = 480;

/**
 * Silences of ≥ `minGapSeconds` between consecutive spoken segments (§5.5), in order. Hallucinated
 * credits (and the break windows they bound) are removed first, since Whisper writes them exactly
 * into breaks. `duration_minutes` is rounded to 0.1.
 */
export function findLongPauses(segments: readonly TranscriptSegment[], minGapSeconds = LONG_PAUSE_SECONDS): LongPause[] {
  const spoken = dropHallucinations(segments)
    .filter((s) => hasSpeech(s.text))
    .sort((a, b) => a.start - b.start);
  const pauses: LongPause[] = [];
  let lastEnd = -Infinity;
  for (const segment of spoken) {
    if (lastEnd > -Infinity && segment.start - lastEnd >= minGapSeconds) {
      pauses.push({ start: lastEnd, end: segment.start, duration_minutes: Math.round((segment.start - lastEnd) / 6) / 10 });
    }
    lastEnd = Math.max(lastEnd, segment.end);
  }
  return pauses;
}
