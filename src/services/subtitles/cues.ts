import type { TranscriptSegment, TranscriptWord } from "../../lib/transcripts/types";
import { charLength, layoutCues } from "./cue-layout";
import { toMilliseconds as toMs } from "./timestamps";

export interface Cue {
  /** Seconds, whole milliseconds. */
  start: number;
  /** Seconds, whole milliseconds, ≥ start. */
  end: number;
  lines: string[];
}

export interface CueOptions {
  /** Default 42 (LEAP). */
  maxCharsPerLine?: number;
  /** Default 2 (LEAP). */
  maxLines?: number;
  /**
   * Word timestamps of the same transcript. When a segment's words are all there (the words whose
   * midpoint lies in the segment, as many as the segment has tokens), a cue starts where its first
   * word starts; otherwise the segment's time is split in proportion to characters.
   */
  words?: readonly TranscriptWord[];
}

/**
 * Subtitle cues from transcript segments, one segment → one or more consecutive cues, every word
 * kept. Empty segments are skipped; CR/LF and runs of spaces in the text become single spaces.
 * Cues are ordered by start; an overlap is removed by ending the earlier cue where the next
 * begins (or, when both begin together, starting the later one where the earlier ends), so no
 * cue ends before it starts and no two cues overlap.
 */
export function buildCues(segments: readonly TranscriptSegment[], options: CueOptions = {}): Cue[] {
  const maxChars = Math.max(1, Math.floor(options.maxCharsPerLine ?? 42));
  const maxLines = Math.max(1, Math.floor(options.maxLines ?? 2));
  const words = [...(options.words ?? [])].filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end)).sort((a, b) => a.start - b.start);
  const ordered = segments.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i);

  const cues: Array<{ start: number; end: number; lines: string[] }> = [];
  for (const { s } of ordered) {
    const tokens = s.text.replace(/\r\n?/g, "\n").split(/\s+/).filter((t) => t !== "");
    if (tokens.length === 0) continue;
    const start = toMs(s.start);
    const end = Math.max(start, toMs(s.end));
    const layouts = layoutCues(tokens, maxChars, maxLines);
    const bounds = wordBounds(words, s, tokens.length, layouts, start, end) ?? charBounds(tokens, layouts, start, end);
    for (const [i, layout] of layouts.entries()) cues.push({ start: bounds[i]!, end: bounds[i + 1]!, lines: layout.lines });
  }

  for (let i = 1; i < cues.length; i++) {
    const previous = cues[i - 1]!;
    const cue = cues[i]!;
    if (cue.start >= previous.end) continue;
    if (cue.start > previous.start) previous.end = cue.start;
    else {
      cue.start = previous.end;
      cue.end = Math.max(cue.end, cue.start);
    }
  }
  return cues.map((c) => ({ start: c.start / 1000, end: c.end / 1000, lines: c.lines }));
}

/** Cue boundaries (ms, cues + 1 of them) splitting [start, end] in proportion to characters. */
function charBounds(tokens: readonly string[], layouts: ReturnType<typeof layoutCues>, start: number, end: number): number[] {
  const weights = layouts.map((l) => charLength(tokens.slice(l.from, l.to).join(" ")));
  const total = weights.reduce((a, b) => a + b, 0);
  const bounds = [start];
  let done = 0;
  for (const weight of weights) {
    done += weight;
    bounds.push(start + Math.round(((end - start) * done) / total));
  }
  bounds[bounds.length - 1] = end;
  return bounds;
}

/** Cue boundaries from word timestamps, or null when the segment's words are not all there. */
function wordBounds(
  words: readonly TranscriptWord[],
  segment: TranscriptSegment,
  tokenCount: number,
  layouts: ReturnType<typeof layoutCues>,
  start: number,
  end: number,
): number[] | null {
  if (words.length === 0 || layouts.length < 2) return null;
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.end < segment.start) lo = mid + 1;
    else hi = mid;
  }
  const inside: TranscriptWord[] = [];
  for (let i = Math.max(0, lo - 1); i < words.length && words[i]!.start <= segment.end; i++) {
    const midpoint = (words[i]!.start + words[i]!.end) / 2;
    if (midpoint >= segment.start && midpoint <= segment.end && words[i]!.word.trim() !== "") inside.push(words[i]!);
  }
  if (inside.length !== tokenCount) return null;
  const bounds = [start];
  for (const layout of layouts.slice(1)) bounds.push(Math.min(end, Math.max(bounds.at(-1)!, toMs(inside[layout.from]!.start))));
  bounds.push(end);
  return bounds;
}
