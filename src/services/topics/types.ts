/** "medium" is this service's addition (LEAP HEAD has it too): halfway between short and long. */
export type TopicGranularity = "short" | "medium" | "long";

/** One chapter as LEAP stores it (`topic_timestamps`): seconds from the start of the video. */
export interface TopicSpan {
  topic: string;
  start: number;
  end: number;
}

/** A silence of ≥ 8 minutes between two spoken segments (LEAP's `long_pauses`, same field names). */
export interface LongPause {
  start: number;
  end: number;
  duration_minutes: number;
}

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

export interface ParsedTopics {
  summary: string | null;
  /** ≤ 7 words. */
  mainTopic: string | null;
  /** Sorted, non-overlapping, each end = the next start (the last ends at the total duration). */
  topics: TopicSpan[];
  questions: string[];
}
