import { languageCode } from "../../lib/transcripts/language";
import { segmentsFromWords } from "../../lib/transcripts/segment-builder";
import type { TranscriptSegment, TranscriptWord } from "../../lib/transcripts/types";
import { ProviderError } from "../provider-error";
import type { AsrProvider } from "./types";

/** The slice of the `AI` binding this provider uses (so tests can hand in a fake). */
export interface AiRunner {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

interface WhisperTurboOutput {
  text?: unknown;
  transcription_info?: { language?: unknown; duration?: unknown };
  segments?: Array<{ start?: unknown; end?: unknown; text?: unknown; words?: Array<{ word?: unknown; start?: unknown; end?: unknown }> }>;
}

export const WORKERS_AI_WHISPER = "@cf/openai/whisper-large-v3-turbo";
/** The model takes the audio inline (base64), so it is held in memory: keep it well under 128 MB. */
export const WORKERS_AI_MAX_BYTES = 20 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Workers AI Whisper through the `AI` binding: no credential of the user's, billed to the account. */
export function workersAi(ai: AiRunner | undefined): AsrProvider {
  return {
    name: "workers-ai",
    model: WORKERS_AI_WHISPER,
    async start(request) {
      if (!ai) throw new ProviderError("Workers AI", "the AI binding is not configured in this deployment", false);
      if (request.audio.size > WORKERS_AI_MAX_BYTES) {
        throw new ProviderError("Workers AI", `the audio is ${(request.audio.size / 1048576).toFixed(1)} MB, over the ${WORKERS_AI_MAX_BYTES / 1048576} MB this provider takes`, false);
      }
      const bytes = new Uint8Array(await new Response(await request.audio.open()).arrayBuffer());
      let raw: unknown;
      try {
        raw = await ai.run(WORKERS_AI_WHISPER, {
          audio: toBase64(bytes),
          ...(request.language ? { language: request.language } : {}),
          ...(request.prompt ? { initial_prompt: request.prompt } : {}),
          vad_filter: true,
        });
      } catch (error) {
        throw new ProviderError("Workers AI", error instanceof Error ? error.message : "the model failed", true);
      }
      const out = (raw ?? {}) as WhisperTurboOutput;
      if (typeof out.text !== "string") throw new ProviderError("Workers AI", "the model answered without text", true);
      const words: TranscriptWord[] = [];
      const segments: TranscriptSegment[] = [];
      for (const [i, s] of (out.segments ?? []).entries()) {
        if (typeof s.start !== "number" || typeof s.end !== "number" || typeof s.text !== "string") continue;
        segments.push({ id: i, start: s.start, end: Math.max(s.start, s.end), text: s.text.trim() });
        for (const w of s.words ?? []) {
          if (typeof w.word === "string" && typeof w.start === "number" && typeof w.end === "number") words.push({ word: w.word.trim(), start: w.start, end: Math.max(w.start, w.end) });
        }
      }
      const info = out.transcription_info ?? {};
      return {
        state: "done",
        transcript: {
          language: (typeof info.language === "string" ? languageCode(info.language) : null) ?? request.language ?? "und",
          duration: typeof info.duration === "number" ? info.duration : (segments.at(-1)?.end ?? 0),
          text: out.text.trim(),
          words,
          segments: segments.length > 0 ? segments : segmentsFromWords(words),
          provider: "workers-ai",
          model: WORKERS_AI_WHISPER,
        },
      };
    },
    async poll() {
      throw new ProviderError("Workers AI", "the model has no jobs to poll", false);
    },
  };
}
