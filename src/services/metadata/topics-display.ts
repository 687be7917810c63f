import { z } from "zod";
import { formatTimecode } from "./formats";

export const TOPICS_FORMATS = ["numbered_list", "bullet_list", "dash_list", "comma_separated", "inline"] as const;
export type TopicsFormat = (typeof TOPICS_FORMATS)[number];

/** §6.2 TopicsDisplayConfig, strict: a misspelt key is a mistake, not an extension. */
export const topicsDisplaySchema = z
  .object({
    enabled: z.boolean().default(true),
    format: z.enum(TOPICS_FORMATS).default("numbered_list"),
    max_count: z.number().int().min(1).max(999).optional(),
    min_length: z.number().int().min(0).max(500).optional(),
    max_length: z.number().int().min(10).max(1000).optional(),
    /** Written before the list (with the separator). "" means no prefix; absent inherits the user's. */
    prefix: z
      .string()
      .max(200)
      .transform((p) => p.trim())
      .nullable()
      .optional(),
    separator: z.string().max(10).default("\n"),
    show_timestamps: z.boolean().default(false),
  })
  .strict()
  .refine((t) => t.min_length === undefined || t.max_length === undefined || t.min_length <= t.max_length, {
    message: "min_length must not exceed max_length",
    path: ["min_length"],
  });

/**
 * What the renderer reads: the preset's TopicsDisplayConfig merged over the user's
 * `metadata.topics_display` (which names the timestamps flag `include_timestamps`).
 */
export interface TopicsDisplaySettings {
  enabled?: boolean;
  format?: string;
  max_count?: number;
  min_length?: number;
  max_length?: number;
  prefix?: string | null;
  separator?: string;
  show_timestamps?: boolean;
  include_timestamps?: boolean;
}

export interface TopicItem {
  topic: string;
  start: number | null;
}

const num = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

/**
 * The `{topics}` variable (§6.6 `_format_topics_list`): filter by length, keep the first
 * `max_count`, optionally prefix each item with its timecode, lay out in the display format.
 * Without any configuration: LEAP's `"1. topic"` lines, the first 10. Unlike LEAP's renderer,
 * timestamps are off unless asked for (its schema default; the renderer defaulted to on).
 */
export function formatTopicsList(items: TopicItem[], config: TopicsDisplaySettings | null | undefined, longTimecodes: boolean): string {
  if (!config) {
    return items
      .slice(0, 10)
      .map((item, i) => `${i + 1}. ${item.topic}`)
      .join("\n");
  }
  if (config.enabled === false) return "";
  const minLength = num(config.min_length, 0);
  const maxLength = num(config.max_length, 999);
  const maxCount = num(config.max_count, 999);
  const separator = typeof config.separator === "string" ? config.separator : "\n";
  const timestamps = config.show_timestamps ?? config.include_timestamps ?? false;
  const texts = items
    .filter((item) => {
      const length = Array.from(item.topic).length;
      return length >= minLength && length <= maxLength;
    })
    .slice(0, maxCount)
    .map((item) => (timestamps && item.start !== null ? `${formatTimecode(item.start, longTimecodes)} — ${item.topic}` : item.topic));
  if (texts.length === 0) return "";
  let list: string;
  switch (config.format) {
    case "bullet_list":
      list = texts.map((t) => `• ${t}`).join(separator);
      break;
    case "dash_list":
      list = texts.map((t) => `- ${t}`).join(separator);
      break;
    case "comma_separated":
      list = texts.join(", ");
      break;
    case "inline":
      list = texts.join(" | ");
      break;
    default:
      list = texts.map((t, i) => `${i + 1}. ${t}`).join(separator);
  }
  const prefix = typeof config.prefix === "string" ? config.prefix.trim() : "";
  return prefix ? `${prefix}${separator}${list}` : list;
}
