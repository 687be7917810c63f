import { z } from "zod";
import { parseClock } from "./timecode";
import { topicFromLine, type RawAnswer } from "./response-text";

/** Every field optional and forgiving: a wrong field is treated as missing, not as a failed answer. */
const answerSchema = z.object({
  summary: z.string().nullish().catch(null),
  main_topic: z.string().nullish().catch(null),
  main_topics: z.array(z.string()).nullish().catch(null),
  topics: z.array(z.unknown()).nullish().catch(null),
  topic_timestamps: z.array(z.unknown()).nullish().catch(null),
  questions: z.array(z.unknown()).nullish().catch(null),
});

const topicSchema = z.object({
  start: z.union([z.string(), z.number()]),
  title: z.string().optional(),
  topic: z.string().optional(),
});

/** The JSON inside an answer: bare, in a ```json fence, or between the first `{` and the last `}`. */
function extractJson(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content);
  const text = (fenced ? fenced[1]! : content).trim();
  const from = text.indexOf("{");
  const to = text.lastIndexOf("}");
  if (from < 0 || to <= from) return undefined;
  try {
    return JSON.parse(text.slice(from, to + 1));
  } catch {
    return undefined;
  }
}

/**
 * A JSON answer `{summary, main_topic, topics:[{start:"HH:MM:SS", title}], questions}` (LEAP's
 * stored shape `{main_topics, topic_timestamps:[{topic, start(seconds)}]}` is accepted too), or
 * null when the content holds no JSON object with a topic list.
 */
export function parseJsonAnswer(content: string): RawAnswer | null {
  const parsed = answerSchema.safeParse(extractJson(content));
  if (!parsed.success) return null;
  const answer = parsed.data;
  const items = answer.topics ?? answer.topic_timestamps;
  if (!items) return null;
  const topics = items.flatMap((item) => {
    if (typeof item === "string") return topicFromLine(item) ?? [];
    const t = topicSchema.safeParse(item);
    if (!t.success) return [];
    const start = typeof t.data.start === "number" ? t.data.start : parseClock(t.data.start);
    const title = (t.data.title ?? t.data.topic ?? "").trim();
    return start === null || !Number.isFinite(start) || title === "" ? [] : [{ title, start }];
  });
  const text = (v: string | null | undefined) => (v && v.trim() !== "" ? v.trim() : null);
  return {
    summary: text(answer.summary),
    mainTopic: text(answer.main_topic) ?? text(answer.main_topics?.[0]),
    topics,
    questions: (answer.questions ?? []).flatMap((q) => (typeof q === "string" && q.trim() !== "" ? [q.trim()] : [])),
  };
}
