import type { TopicCounts } from "./topic-counts";
import type { LongPause } from "./types";

/** Everything a topic prompt states, computed once and worded per language. */
export interface PromptFacts {
  /** The course name (the recording's display name), or null when there is none. */
  courseName: string | null;
  /** `HH:MM:SS` of the recording's length. */
  duration: string;
  durationMinutes: number;
  counts: TopicCounts;
  /** How long one chapter should be, in minutes, for the granularity. */
  topicMinutes: { from: number; to: number };
  pauses: LongPause[];
  questions: number;
  jsonMode: boolean;
  /** English name of the answer language when the prompt is English but the lecture is not. */
  answerLanguage: string | null;
  /** `[HH:MM:SS] text` lines. */
  transcript: string;
}

/** Minutes to a short human number: 4, 7.5, 14.2. */
export const minutes = (value: number) => String(Math.round(value * 10) / 10);
