import { parseJsonAnswer } from "./response-json";
import { parseTextAnswer, stripQuotes, type RawAnswer } from "./response-text";
import type { ParsedTopics, TopicSpan } from "./types";

/**
 * The model's answer cannot be used (empty, no chapters, none inside the recording). Thrown, not
 * swallowed (⚠ LEAP stored empty topics as a success), so the caller can try another provider.
 */
export class TopicResponseError extends Error {
  constructor(
    readonly reason: "empty" | "unparseable" | "no_topics",
    message: string,
  ) {
    super(message);
    this.name = "TopicResponseError";
  }
}

export interface ParseTopicOptions {
  /** Seconds; chapters must start within [0, totalDuration]. */
  totalDuration: number;
  /** Chapters closer than this to the previous one are merged into it (breaks excepted). */
  minSpacingSeconds: number;
  /** The answer was requested as JSON (it is still parsed as text when it is not JSON). */
  jsonMode: boolean;
}

const MAIN_TOPIC_MAX_WORDS = 7;
const BREAK_TITLE = /^(?:перерыв|break)(?!\p{L})/iu;

/**
 * Chapters, main topic, summary and questions from a DeepSeek answer. JSON is tried first when
 * it was requested (after trimming the blank lines DeepSeek sends while it holds a connection,
 * and code fences), then LEAP's text format with Russian or English headers.
 *
 * Chapters starting outside [0, total] are dropped; the rest are sorted; a chapter starting less
 * than `minSpacingSeconds` after the previous kept one is merged into it (the earlier title
 * stays), except that a break chapter and the chapter right after a break are always kept (two
 * breaks too close together are one); each
 * ends where the next starts (the last at the total); zero-length chapters are dropped.
 */
export function parseTopicResponse(content: string | null | undefined, options: ParseTopicOptions): ParsedTopics {
  const text = (content ?? "").replace(/^\uFEFF/, "").trim();
  if (text === "") throw new TopicResponseError("empty", "The model returned an empty answer");

  const looksJson = /^(?:```|\{)/.test(text);
  const fromJson = options.jsonMode || looksJson ? parseJsonAnswer(text) : null;
  const answer: RawAnswer = fromJson && fromJson.topics.length > 0 ? fromJson : pickText(text, fromJson);
  if (answer.topics.length === 0) {
    throw new TopicResponseError("unparseable", `The model's answer has no chapters in a known format: ${preview(text)}`);
  }
  const topics = chapters(answer.topics, options);
  if (topics.length === 0) {
    throw new TopicResponseError(
      "no_topics",
      `None of the model's ${answer.topics.length} chapters starts within the recording (0–${Math.round(options.totalDuration)} s)`,
    );
  }
  return {
    summary: answer.summary,
    mainTopic: answer.mainTopic ? truncateWords(stripQuotes(answer.mainTopic).replace(/\.+$/u, ""), MAIN_TOPIC_MAX_WORDS) : null,
    topics,
    questions: answer.questions,
  };
}

/** The text reading, unless JSON parsed and the text reading finds nothing better. */
function pickText(text: string, fromJson: RawAnswer | null): RawAnswer {
  const fromText = parseTextAnswer(text);
  return fromText.topics.length === 0 && fromJson ? fromJson : fromText;
}

function chapters(raw: RawAnswer["topics"], { totalDuration, minSpacingSeconds }: ParseTopicOptions): TopicSpan[] {
  const total = Math.max(0, totalDuration);
  const inRange = raw
    .filter((t) => t.start >= 0 && t.start <= total)
    .map((t, i) => ({ ...t, i }))
    .sort((a, b) => a.start - b.start || a.i - b.i);
  const kept: typeof inRange = [];
  for (const topic of inRange) {
    const previous = kept.at(-1);
    // A break keeps its own start, and so does the chapter that resumes after it.
    const exempt = previous === undefined || BREAK_TITLE.test(topic.title) !== BREAK_TITLE.test(previous.title);
    if (exempt || topic.start - previous.start >= minSpacingSeconds) kept.push(topic);
  }
  return kept
    .map((t, i) => ({ topic: t.title, start: t.start, end: kept[i + 1]?.start ?? total }))
    .filter((t) => t.end > t.start);
}

function truncateWords(text: string, max: number): string {
  return text.split(/\s+/).filter((w) => w !== "").slice(0, max).join(" ");
}

const preview = (text: string) => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
