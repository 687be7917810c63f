import type { TranscriptSegment } from "../../lib/transcripts/types";

/**
 * Whisper's hallucinations (§5.5): credits from the subtitled videos it was trained on, which it
 * "hears" in silence and music. LEAP's list is `редактор субтитров|корректор|продолжение следует`;
 * "корректор" alone is narrowed to the credit form ("Корректор А. Егорова") so that a lecture
 * about, say, error correctors keeps its sentences. Two more well-known credits are added.
 */
const HALLUCINATION =
  /редактор субтитров|корректор\s*:?\s*[а-яё]\.|продолжение следует|субтитры (?:сделал|создавал|подготовил|делал)|dimatorzok/iu;

/** Hallucinations that bound ≥ 15 minutes of text are treated as a break: the whole window goes. */
const WINDOW_SECONDS = 15 * 60;
/**
 * Two consecutive hallucinations belong to one window only when the text between them is no more
 * than this many words. Read literally, LEAP's rule spans the first to the last hallucination of
 * the whole recording, so credits at minute 1 and at minute 80 would erase the lecture between.
 */
const MAX_WORDS_BETWEEN = 30;

export function isHallucination(text: string): boolean {
  return HALLUCINATION.test(text);
}

const wordCount = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/**
 * The segments without hallucinations, and without anything inside a ≥ 15-minute window that
 * hallucinations bound (junk Whisper wrote during a break). Order and objects are preserved.
 */
export function dropHallucinations<T extends Pick<TranscriptSegment, "start" | "end" | "text">>(segments: readonly T[]): T[] {
  const ordered = segments.map((segment, index) => ({ segment, index })).sort((a, b) => a.segment.start - b.segment.start || a.index - b.index);
  const dropped = new Set<number>();
  let open: { first: number; last: number } | null = null;
  let wordsSince = 0;
  const closeWindow = () => {
    if (open === null) return;
    const from = ordered[open.first]!.segment.start;
    const to = Math.max(...ordered.slice(open.first, open.last + 1).map((o) => o.segment.end));
    if (to - from >= WINDOW_SECONDS) for (let i = open.first; i <= open.last; i++) dropped.add(ordered[i]!.index);
    open = null;
  };
  ordered.forEach(({ segment, index }, position) => {
    if (isHallucination(segment.text)) {
      dropped.add(index);
      if (open !== null && wordsSince <= MAX_WORDS_BETWEEN) open.last = position;
      else {
        closeWindow();
        open = { first: position, last: position };
      }
      wordsSince = 0;
    } else {
      wordsSince += wordCount(segment.text);
    }
  });
  closeWindow();
  return segments.filter((_, index) => !dropped.has(index));
}
