import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { Passage } from "../../durable/search-index";
import type { TranscriptSegment } from "../../lib/transcripts/types";

/** Transcript segments are indexed in chunks of about this many characters (one FTS row each). */
export const TRANSCRIPT_CHUNK_CHARS = 1_000;

/** Control characters and the private-use highlight markers never enter the index. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters (and the private-use marks the highlighter uses) are stripped from indexed text on purpose.
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000B-\u001F\u007F\uE000\uE001]/g, " ").trim();

/**
 * Segments joined into ~1 000-character chunks: a row per chunk keeps the index small (an hour of
 * speech is ~60 rows, not ~600), and each chunk remembers where its segments start, so a match is
 * still placed at the second its segment is spoken.
 */
export function transcriptPassages(segments: TranscriptSegment[]): Passage[] {
  const passages: Passage[] = [];
  let text = "";
  let marks: Array<[number, number]> = [];
  const flush = () => {
    if (text) passages.push({ kind: "transcript", text, start: marks[0]![1], marks });
    text = "";
    marks = [];
  };
  for (const segment of segments) {
    const piece = clean(String(segment.text ?? ""));
    if (!piece || !Number.isFinite(segment.start)) continue;
    if (text) text += " ";
    marks.push([text.length, Math.max(0, Math.round(segment.start * 10) / 10)]);
    text += piece;
    if (text.length >= TRANSCRIPT_CHUNK_CHARS) flush();
  }
  flush();
  return passages;
}

/** Everything searchable about a recording, from its D1 row and (when it has one) its transcript. */
export function recordingPassages(recording: RecordingRow, segments: TranscriptSegment[] | null): Passage[] {
  const passages: Passage[] = [];
  const add = (kind: Passage["kind"], text: string | null | undefined, start: number | null) => {
    const value = clean(text ?? "");
    if (value) passages.push({ kind, text: value, start });
  };
  add("title", recording.displayName, null);
  for (const topic of recording.mainTopics ?? []) add("topic", topic, null);
  for (const chapter of recording.topicTimestamps ?? []) add("chapter", chapter.topic, Number.isFinite(chapter.start) ? chapter.start : null);
  add("summary", recording.topicsSummary, null);
  return [...passages, ...transcriptPassages(segments ?? [])];
}
