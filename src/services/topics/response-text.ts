import { clockSeconds } from "./timecode";

/** What an answer says before validation against the recording (times in seconds). */
export interface RawAnswer {
  summary: string | null;
  mainTopic: string | null;
  topics: Array<{ title: string; start: number }>;
  questions: string[];
}

type Section = "none" | "summary" | "main" | "topics" | "questions" | "other";

/** LEAP's chapter line (EXTERNAL-APIS §6.1): `[HH:MM:SS] - title`, brackets optional, MM:SS accepted. */
const TOPIC_LINE = /\[?(\d{1,2}):(\d{2})(?::(\d{2}))?\]?\s*[-–—]\s*(.+)/u;
/** Also a bracketed time without a dash: `[00:12:30] title`. */
const BRACKETED_LINE = /\[(\d{1,2}):(\d{2})(?::(\d{2}))?\]\s*(.+)/u;
/** Chapter lines begin with their time (after an optional bullet, number or bold mark). */
const CHAPTER_START = /^\s*(?:\d{1,2}[.)]\s+|[-*•]\s*)?(?:\*\*)?\[?\d{1,2}:\d{2}/u;

/**
 * Section headers in Russian and English (⚠ LEAP did not recognise "SELF-CHECK QUESTIONS", so
 * English answers lost their questions). Order matters: "MAIN TOPIC" before "TOPICS".
 */
const HEADERS: Array<[Exclude<Section, "none" | "other">, RegExp]> = [
  ["main", /^(?:основная тема|главная тема|main topic)/iu],
  ["questions", /^(?:вопросы|self-check questions|self check questions|review questions|questions)/iu],
  ["summary", /^(?:саммари|резюме|краткое содержание|summary)/iu],
  ["topics", /^(?:детализированные топики|топики|detailed topics|topics|chapters)/iu],
];

const stripMarkup = (line: string) => line.replace(/\*\*|__/g, "").trim();
const stripBullet = (line: string) => line.replace(/^\s*(?:\d{1,2}[.)]\s+|[-*•–—]\s+)/u, "").trim();
export const stripQuotes = (text: string) => text.replace(/^["'«“”`]+|["'»“”`]+$/gu, "").trim();

/** A header line: `## Title`, `**Title**` or `Title:`; its kind and any text after a colon. */
function header(rawLine: string): { section: Section; inline: string } | null {
  const hashed = /^\s*#{1,6}\s*/.test(rawLine);
  const bold = /^\s*\*\*[^*]+\*\*\s*:?\s*$/.test(rawLine) || /^\s*\*\*[^*]+:\*\*/.test(rawLine);
  const line = stripMarkup(rawLine.replace(/^\s*#{1,6}\s*/, ""));
  for (const [section, pattern] of HEADERS) {
    const match = pattern.exec(line);
    if (!match) continue;
    const rest = line.slice(match[0].length);
    // A plain line counts only as "Header:" or "Header (…)"; "Summary of the talk…" is text.
    if (!hashed && !bold && !/^[^:]{0,40}:/.test(rest) && !/^\s*(?:\([^)]*\))?\s*$/.test(rest)) return null;
    const colon = rest.indexOf(":");
    return { section, inline: colon >= 0 ? rest.slice(colon + 1).trim() : "" };
  }
  return hashed ? { section: "other", inline: "" } : null;
}

/** A chapter in a line, or null. */
export function topicFromLine(rawLine: string): { title: string; start: number } | null {
  const line = stripMarkup(rawLine);
  const match = TOPIC_LINE.exec(line) ?? BRACKETED_LINE.exec(line);
  if (!match) return null;
  const start = clockSeconds(match[1]!, match[2]!, match[3]);
  const title = stripQuotes(stripMarkup(match[4]!).replace(/[.;]+$/u, ""));
  return start === null || title === "" ? null : { title, start };
}

/** LEAP's text answer (`## САММАРИ ВИДЕО` … `## ВОПРОСЫ ДЛЯ САМОПРОВЕРКИ`), or its English twin. */
export function parseTextAnswer(content: string): RawAnswer {
  const summary: string[] = [];
  const main: string[] = [];
  const topics: RawAnswer["topics"] = [];
  const questions: string[] = [];
  const preamble: string[] = [];
  let section: Section = "none";
  let sawMainHeader = false;

  for (const rawLine of content.split(/\r\n?|\n/)) {
    if (rawLine.trim() === "" || /^\s*```/.test(rawLine)) continue;
    const h = header(rawLine);
    if (h) {
      section = h.section;
      if (section === "main") sawMainHeader = true;
      if (h.inline !== "" && section === "summary") summary.push(h.inline);
      if (h.inline !== "" && section === "main") main.push(stripQuotes(h.inline));
      if (h.inline !== "" && section === "questions") questions.push(stripBullet(h.inline));
      continue;
    }
    // Chapter lines are searched anywhere (as LEAP does) outside the prose sections; inside them
    // only lines that begin with a time count, for a model that skipped the chapters header.
    const prose = section === "summary" || section === "main" || section === "questions";
    const chapter = section === "questions" || (prose && !CHAPTER_START.test(rawLine)) ? null : topicFromLine(rawLine);
    if (chapter) topics.push(chapter);
    else if (section === "summary") summary.push(stripMarkup(rawLine));
    else if (section === "main") main.push(stripQuotes(stripBullet(stripMarkup(rawLine))));
    else if (section === "questions") questions.push(stripBullet(stripMarkup(rawLine)));
    else if (section === "none" && topics.length === 0) preamble.push(stripQuotes(stripBullet(stripMarkup(rawLine))));
  }
  // LEAP's fallback without a main-topic header: the first 2–4-word line before the chapters.
  const fallback = sawMainHeader ? undefined : preamble.find((l) => /^\S+(?:\s+\S+){1,3}$/u.test(l));
  return {
    summary: summary.length > 0 ? summary.join("\n") : null,
    mainTopic: main.find((l) => l !== "") ?? fallback ?? null,
    topics,
    questions: questions.filter((q) => q !== ""),
  };
}
