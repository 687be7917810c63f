import { dropHallucinations } from "./hallucinations";
import { segmentsFromWords } from "../../lib/transcripts/segment-builder";
import type { Transcript, TranscriptSegment } from "../../lib/transcripts/types";

export interface SpeechBounds {
  /** Seconds: where the first real word starts. */
  firstSpeech: number;
  /** Seconds: where the last real word ends (≥ firstSpeech). */
  lastSpeech: number;
}

/** A word or segment counts as speech when it has a letter or digit (not "…", "-", "♪"). */
export const hasSpeech = (text: string) => /[\p{L}\p{N}]/u.test(text);

/** Words may stick out of their segment by a little (Whisper's segment and word clocks differ). */
const EDGE_TOLERANCE_SECONDS = 0.2;

/**
 * The first and last moments of real speech, for trimming a silent start and end; null when the
 * transcript holds no speech at all. Hallucinations (and the break windows they bound) do not
 * count. Word times are used when the words fall inside kept segments (they are tighter than
 * segment times); otherwise the kept segments' own times.
 */
export function speechBounds(transcript: Pick<Transcript, "words" | "segments">): SpeechBounds | null {
  const segments = transcript.segments.length > 0 ? transcript.segments : segmentsFromWords(transcript.words);
  const kept = dropHallucinations(segments)
    .filter((s) => hasSpeech(s.text) && Number.isFinite(s.start) && Number.isFinite(s.end))
    .sort((a, b) => a.start - b.start);
  if (kept.length === 0) return null;

  let first = Infinity;
  let last = -Infinity;
  for (const word of transcript.words) {
    if (!hasSpeech(word.word) || !Number.isFinite(word.start) || !Number.isFinite(word.end)) continue;
    if (!insideAny(kept, (word.start + word.end) / 2)) continue;
    first = Math.min(first, word.start);
    last = Math.max(last, word.end);
  }
  if (first === Infinity) {
    first = kept[0]!.start;
    last = kept.reduce((max, s) => Math.max(max, s.end), -Infinity);
  }
  return { firstSpeech: Math.max(0, first), lastSpeech: Math.max(first, last) };
}

/** Whether `time` lies in one of `sorted` (sorted by start), allowing the edge tolerance. */
function insideAny(sorted: readonly TranscriptSegment[], time: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  let candidate = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start - EDGE_TOLERANCE_SECONDS <= time) {
      candidate = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Segments may overlap, so an earlier, longer one can contain the time too.
  for (let i = candidate; i >= 0 && i >= candidate - 3; i--) {
    if (time <= sorted[i]!.end + EDGE_TOLERANCE_SECONDS) return true;
  }
  return false;
}
