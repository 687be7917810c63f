import type { Transcript } from "../../lib/transcripts/types";

/** Times are kept to the millisecond so that shifted values do not drift (12.340000000001). */
const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

interface Timed {
  start: number;
  end: number;
}

/** The item moved by `offset` and clamped to [0, duration]; null when nothing of it is left. */
function shiftItem<T extends Timed>(item: T, offset: number, duration: number): T | null {
  const start = ms(item.start + offset);
  const end = ms(item.end + offset);
  if (end < 0 || start > duration) return null;
  const clampedStart = Math.min(Math.max(0, start), duration);
  const clampedEnd = Math.min(Math.max(clampedStart, end), duration);
  // A timed item cut down to nothing (it only touched an edge) is gone; a zero-length one stays.
  if (clampedEnd === clampedStart && end > start) return null;
  return { ...item, start: clampedStart, end: clampedEnd };
}

/**
 * A copy of the transcript with every time moved by `offsetSeconds` (negative after cutting the
 * start: a cut of the first 42 s is `shiftTranscript(t, -42, newLength)`). Words and segments
 * entirely before 0 or after the new duration are dropped, partial ones clamped; segments are
 * renumbered. A partly cut segment keeps its whole text (words carry no text offsets into it).
 * The text is rebuilt from the remaining segments only when some were dropped.
 *
 * `newDuration` defaults to the old duration moved by the offset (not below 0).
 */
export function shiftTranscript(transcript: Transcript, offsetSeconds: number, newDuration?: number): Transcript {
  const duration = ms(Math.max(0, newDuration ?? transcript.duration + offsetSeconds));
  const words = transcript.words.flatMap((w) => shiftItem(w, offsetSeconds, duration) ?? []);
  const kept = transcript.segments.flatMap((s) => shiftItem(s, offsetSeconds, duration) ?? []);
  const segments = kept.map((s, id) => ({ ...s, id }));
  const lostSegments = segments.length !== transcript.segments.length;
  const lostWords = transcript.segments.length === 0 && words.length !== transcript.words.length;
  const text = lostSegments
    ? segments.map((s) => s.text.trim()).join(" ")
    : lostWords
      ? words.map((w) => w.word.trim()).join(" ")
      : transcript.text;
  return { ...transcript, duration, words, segments, text };
}
