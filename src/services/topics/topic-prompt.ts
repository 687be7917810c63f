import { dropHallucinations } from "../transcripts/hallucinations";
import { languageCode, languageName } from "../../lib/transcripts/language";
import { hasSpeech } from "../transcripts/speech-bounds";
import type { TranscriptSegment } from "../../lib/transcripts/types";
import { findLongPauses } from "./long-pauses";
import { englishSystemPrompt, englishUserPrompt } from "./prompt-en";
import type { PromptFacts } from "./prompt-facts";
import { russianSystemPrompt, russianUserPrompt } from "./prompt-ru";
import { formatClock } from "./timecode";
import { topicCounts } from "./topic-counts";
import type { ChatMessage, TopicGranularity } from "./types";

export interface TopicPromptInput {
  /** The transcript's segments. */
  transcript: readonly TranscriptSegment[];
  /** The recording's display name, which LEAP treats as the course name. */
  displayName: string;
  granularity: TopicGranularity;
  /** The transcript's language (ISO 639-1): "ru" → Russian prompt, anything else → English prompt. */
  language: string;
  /** Ask for a JSON object (for `response_format: json_object`) instead of LEAP's text sections. */
  jsonMode: boolean;
  /** Self-check questions to ask for (default 3, LEAP HEAD's default; 0 = none). */
  questions?: number;
  /** The recording's length; defaults to the end of the last segment (LEAP's total_duration). */
  durationSeconds?: number;
}

/** Minutes one chapter should last, per granularity (LEAP: long 3–12, short 5–40; medium between). */
const TOPIC_MINUTES: Record<TopicGranularity, { from: number; to: number }> = {
  long: { from: 3, to: 12 },
  medium: { from: 4, to: 20 },
  short: { from: 5, to: 40 },
};

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * The system and user messages of a topic extraction (LEAP §5.5 semantics): main topic of 2–4
 * words that does not repeat the course name, chapter count range from the duration and
 * granularity, breaks ≥ 8 min as "Перерыв"/"Break" chapters, chronological timecodes within the
 * duration, the minimum spacing, a summary and self-check questions; then the transcript as
 * `[HH:MM:SS] text` lines without hallucinations.
 */
export function buildTopicMessages(input: TopicPromptInput): [ChatMessage, ChatMessage] {
  const lastEnd = input.transcript.reduce((max, s) => Math.max(max, Number.isFinite(s.end) ? s.end : 0), 0);
  const durationSeconds = input.durationSeconds ?? lastEnd;
  const code = languageCode(input.language) ?? "en";
  const russian = code === "ru";
  const lines = dropHallucinations(input.transcript)
    .filter((s) => hasSpeech(s.text))
    .sort((a, b) => a.start - b.start)
    .map((s) => `[${formatClock(s.start)}] ${oneLine(s.text)}`);
  const facts: PromptFacts = {
    courseName: oneLine(input.displayName) || null,
    duration: formatClock(durationSeconds),
    durationMinutes: durationSeconds / 60,
    counts: topicCounts(durationSeconds / 60, input.granularity),
    topicMinutes: TOPIC_MINUTES[input.granularity],
    pauses: findLongPauses(input.transcript),
    questions: Math.max(0, Math.floor(input.questions ?? 3)),
    jsonMode: input.jsonMode,
    answerLanguage: russian || code === "en" ? null : languageName(code),
    transcript: lines.join("\n"),
  };
  return russian
    ? [
        { role: "system", content: russianSystemPrompt(input.jsonMode) },
        { role: "user", content: russianUserPrompt(facts) },
      ]
    : [
        { role: "system", content: englishSystemPrompt(input.jsonMode) },
        { role: "user", content: englishUserPrompt(facts) },
      ];
}
