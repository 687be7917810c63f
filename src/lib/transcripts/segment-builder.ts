import type { TranscriptSegment, TranscriptWord } from "./types";

/**
 * LEAP's segmentation of a word list (§5.4), for providers that give words but no segments
 * (AssemblyAI, some Whisper deployments).
 *
 * A group of words is closed after a word that ends a sentence (`.!?…`, optionally followed by a
 * closing quote or bracket). It is also closed on a pause > 0.4 s, on a comma followed by a
 * pause > 0.25 s, or once it lasts > 8 s; those three only when the group is already ≥ 0.7 s
 * long or has ≥ 3 words. Groups of < 3 words and < 1.2 s are then merged into the previous one.
 *
 * One deviation: a short group is not glued across more than 3 s of silence (it joins the next
 * group instead, or stays alone). LEAP's unconditional merge could make one segment span a
 * 10-minute break, which hides the break from `findLongPauses` and keeps a subtitle on screen
 * for the whole break.
 */
const SENTENCE_END = /[.!?…]["'»”’)\]]*$/u;
const COMMA_END = /,["'»”’)\]]*$/u;
const PAUSE_SECONDS = 0.4;
const COMMA_PAUSE_SECONDS = 0.25;
const MAX_SEGMENT_SECONDS = 8;
const MIN_GROUP_SECONDS = 0.7;
const MIN_GROUP_WORDS = 3;
const SHORT_WORDS = 3;
const SHORT_SECONDS = 1.2;
const MAX_MERGE_GAP_SECONDS = 3;

interface Group {
  words: TranscriptWord[];
  start: number;
  end: number;
}

export function segmentsFromWords(words: readonly TranscriptWord[]): TranscriptSegment[] {
  const usable = words
    .filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end) && w.word.trim() !== "")
    .map((w, index) => ({ w, index }))
    .sort((a, b) => a.w.start - b.w.start || a.index - b.index)
    .map(({ w }) => w);
  return mergeShortGroups(groupWords(usable)).map((g, id) => ({
    id,
    start: g.start,
    end: g.end,
    text: g.words.map((w) => w.word.trim()).join(" "),
  }));
}

function groupWords(words: readonly TranscriptWord[]): Group[] {
  const groups: Group[] = [];
  let current: TranscriptWord[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    current.push(word);
    const next = words[i + 1];
    if (next === undefined || closesGroup(current, word, next)) {
      groups.push(toGroup(current));
      current = [];
    }
  }
  return groups;
}

function closesGroup(group: readonly TranscriptWord[], word: TranscriptWord, next: TranscriptWord): boolean {
  const text = word.word.trim();
  if (SENTENCE_END.test(text)) return true;
  const duration = word.end - group[0]!.start;
  if (duration < MIN_GROUP_SECONDS && group.length < MIN_GROUP_WORDS) return false;
  const pause = next.start - word.end;
  return pause > PAUSE_SECONDS || (COMMA_END.test(text) && pause > COMMA_PAUSE_SECONDS) || duration > MAX_SEGMENT_SECONDS;
}

function toGroup(words: TranscriptWord[]): Group {
  const start = words[0]!.start;
  return { words, start, end: Math.max(start, ...words.map((w) => w.end)) };
}

const isShort = (g: Group) => g.words.length < SHORT_WORDS && g.end - g.start < SHORT_SECONDS;

function mergeShortGroups(groups: readonly Group[]): Group[] {
  const out: Group[] = [];
  let carried: Group | null = null;
  for (let i = 0; i < groups.length; i++) {
    const group: Group = carried ? join(carried, groups[i]!) : groups[i]!;
    carried = null;
    if (isShort(group)) {
      const previous = out.at(-1);
      if (previous && group.start - previous.end <= MAX_MERGE_GAP_SECONDS) {
        out[out.length - 1] = join(previous, group);
        continue;
      }
      const next = groups[i + 1];
      if (next && next.start - group.end <= MAX_MERGE_GAP_SECONDS) {
        carried = group;
        continue;
      }
    }
    out.push(group);
  }
  return out;
}

function join(a: Group, b: Group): Group {
  return { words: [...a.words, ...b.words], start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
