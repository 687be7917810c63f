import { languageCode } from "../../lib/transcripts/language";
import { segmentsFromWords } from "../../lib/transcripts/segment-builder";
import type { Transcript, TranscriptSegment, TranscriptWord } from "../../lib/transcripts/types";
import { ProviderError } from "../provider-error";

/** Whisper's verbose_json, as Fireworks, OpenAI and OpenAI-compatible servers send it. */
interface VerboseJson {
  language?: unknown;
  duration?: unknown;
  text?: unknown;
  words?: Array<{ word?: unknown; start?: unknown; end?: unknown; probability?: unknown }>;
  segments?: Array<{ id?: unknown; start?: unknown; end?: unknown; text?: unknown }>;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * Normalises verbose_json (seconds) into a Transcript: the provider's segments when present (text
 * trimmed: OpenAI starts them with a space), else segments built from the words; the language
 * as an ISO code (OpenAI says "russian").
 */
export function fromVerboseJson(provider: string, model: string, raw: unknown, fallbackLanguage: string | null): Transcript {
  if (!raw || typeof raw !== "object") throw new ProviderError(provider, "answered without a transcript", true);
  const body = raw as VerboseJson;
  if (typeof body.text !== "string") throw new ProviderError(provider, "the transcript has no text (was response_format verbose_json?)", false);
  const words: TranscriptWord[] = (body.words ?? []).flatMap((w) => {
    const start = num(w.start);
    const end = num(w.end);
    if (typeof w.word !== "string" || start === null || end === null) return [];
    const probability = num(w.probability);
    return [{ word: w.word.trim(), start, end: Math.max(start, end), ...(probability === null ? {} : { probability }) }];
  });
  const given: TranscriptSegment[] = (body.segments ?? []).flatMap((s, i) => {
    const start = num(s.start);
    const end = num(s.end);
    if (typeof s.text !== "string" || start === null || end === null) return [];
    return [{ id: typeof s.id === "number" ? s.id : i, start, end: Math.max(start, end), text: s.text.trim() }];
  });
  const segments = given.length > 0 ? given : segmentsFromWords(words);
  const lastEnd = Math.max(0, ...segments.map((s) => s.end), ...words.map((w) => w.end));
  return {
    language: languageCode(typeof body.language === "string" ? body.language : (fallbackLanguage ?? "")) ?? fallbackLanguage ?? "und",
    duration: num(body.duration) ?? lastEnd,
    text: body.text.trim(),
    words,
    segments,
    provider,
    model,
  };
}
