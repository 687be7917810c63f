import { Drop } from "./liquid";
import { DEFAULT_DATE_FORMAT, formatDate, formatTimecode } from "./formats";
import { formatTopicsList, type TopicItem, type TopicsDisplaySettings } from "./topics-display";

/**
 * The variables a metadata template may use (§6.6, plus the placeholders LEAP documented but never
 * provided: `topic`, `date`, `summary`). The kind decides which formats a `{name:format}` takes.
 */
export const TEMPLATE_VARIABLES = {
  display_name: { kind: "text", description: "the recording's name" },
  duration: { kind: "duration", description: "length; whole minutes unless formatted (seconds, HH:MM:SS, HH:MM, MM:SS, timecode)" },
  record_time: { kind: "date", description: "when the lecture was recorded (owner's time zone)" },
  publish_time: { kind: "date", description: "when it is published (the scheduled time, else now)" },
  date: { kind: "text", description: "the record date in the user's metadata.date_format (DD.MM.YYYY)" },
  topic: { kind: "text", description: "the main topic" },
  themes: { kind: "text", description: "the first three main topics, comma-separated" },
  main_topics: { kind: "list", description: "the main topics (a list; comma-separated when printed)" },
  topics: { kind: "text", description: "the chapters laid out by topics_display" },
  chapters: { kind: "list", description: "the chapters, for loops: each has topic, start, end (seconds) and timecode" },
  summary: { kind: "text", description: "the topics summary, empty when there is none" },
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type VariableKind = (typeof TEMPLATE_VARIABLES)[TemplateVariable]["kind"];

export const isTemplateVariable = (name: string): name is TemplateVariable => Object.hasOwn(TEMPLATE_VARIABLES, name);

/** A duration: prints as whole minutes (LEAP), compares as minutes, formats from the exact seconds. */
export class DurationValue extends Drop {
  constructor(readonly seconds: number) {
    super();
  }
  override valueOf(): number {
    return Math.round(this.seconds / 60);
  }
}

/** One chapter; printed alone it is `timecode — topic`. */
export class ChapterValue extends Drop {
  constructor(
    readonly topic: string,
    readonly start: number | null,
    readonly end: number | null,
    readonly timecode: string,
  ) {
    super();
  }
  override valueOf(): string {
    return this.timecode ? `${this.timecode} — ${this.topic}` : this.topic;
  }
}

/**
 * liquidjs reads any property of a Drop, own or inherited (`constructor`, `__proto__` …), unlike
 * plain objects under `ownPropertyOnly`. A proxy keeps a template to the fields listed here and
 * the methods the engine itself calls.
 */
function sealed<T extends Drop>(value: T, fields: readonly string[]): T {
  const allowed = new Set([...fields, "valueOf", "toString", "liquidMethodMissing"]);
  return new Proxy(value, {
    get: (target, key) => (typeof key === "string" && allowed.has(key) ? Reflect.get(target, key) : undefined),
    has: (target, key) => typeof key === "string" && allowed.has(key) && Reflect.has(target, key),
  });
}

/** What rendering needs from a recording row (the columns of `recordings`). */
export interface RecordingForMetadata {
  id: number;
  displayName: string;
  startTime: Date;
  /** Seconds. */
  duration: number;
  mainTopics: string[] | null;
  topicTimestamps: Array<{ topic: string; start: number; end: number }> | null;
  topicsSummary: string | null;
}

export interface ScopeOptions {
  publishTime: Date;
  timeZone: string;
  dateFormat: string | undefined;
  topicsDisplay: TopicsDisplaySettings | null | undefined;
}

const cleanTopics = (topics: unknown): string[] =>
  Array.isArray(topics) ? topics.filter((t): t is string => typeof t === "string" && t.trim() !== "").map((t) => t.trim()) : [];

function topicItems(recording: RecordingForMetadata): { items: TopicItem[]; ends: Array<number | null> } {
  const chapters = Array.isArray(recording.topicTimestamps) ? recording.topicTimestamps : [];
  const timed = chapters.filter((c) => c && typeof c.topic === "string" && c.topic.trim() !== "");
  if (timed.length > 0) {
    return {
      items: timed.map((c) => ({ topic: c.topic.trim(), start: Number.isFinite(c.start) ? c.start : null })),
      ends: timed.map((c) => (Number.isFinite(c.end) ? c.end : null)),
    };
  }
  const main = cleanTopics(recording.mainTopics);
  return { items: main.map((topic) => ({ topic, start: null })), ends: main.map(() => null) };
}

/** The values behind every variable, for one recording. */
export function buildScope(recording: RecordingForMetadata, options: ScopeOptions): Record<TemplateVariable, unknown> {
  const main = cleanTopics(recording.mainTopics);
  const { items, ends } = topicItems(recording);
  const lastStart = items.reduce((max, i) => Math.max(max, i.start ?? 0), 0);
  // HH:MM:SS once anything reaches an hour, MM:SS for shorter recordings (YouTube accepts both).
  const longTimecodes = Math.max(recording.duration, lastStart) >= 3600;
  const displayName = recording.displayName.trim() || "Recording";
  return {
    display_name: displayName,
    duration: sealed(new DurationValue(recording.duration), ["seconds"]),
    record_time: recording.startTime,
    publish_time: options.publishTime,
    date: formatDate(recording.startTime, options.dateFormat || "DD.MM.YYYY", options.timeZone),
    topic: main[0] ?? "",
    themes: main.slice(0, 3).join(", "),
    main_topics: main,
    topics: formatTopicsList(items, options.topicsDisplay, longTimecodes),
    chapters: items.map((item, i) =>
      sealed(new ChapterValue(item.topic, item.start, ends[i] ?? null, item.start === null ? "" : formatTimecode(item.start, longTimecodes)), [
        "topic",
        "start",
        "end",
        "timecode",
      ]),
    ),
    summary: recording.topicsSummary?.trim() ?? "",
  };
}

/** How a bare value prints: dates in the default layout, lists comma-separated (falsy items skipped). */
export function printable(value: unknown, timeZone: string): unknown {
  if (value instanceof Date) return formatDate(value, DEFAULT_DATE_FORMAT, timeZone);
  if (Array.isArray(value)) {
    return value
      .map((v) => (v instanceof Drop ? v.valueOf() : v))
      .filter((v) => v !== null && v !== undefined && v !== "" && v !== false && (typeof v !== "object" || v instanceof Date))
      .map((v) => (v instanceof Date ? formatDate(v, DEFAULT_DATE_FORMAT, timeZone) : String(v)))
      .join(", ");
  }
  if (value !== null && typeof value === "object" && !(value instanceof Drop)) return "";
  return value;
}
