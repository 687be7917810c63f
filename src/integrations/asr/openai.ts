import { fetchJson, ProviderError } from "../provider-error";
import type { OutboundSend } from "../safe-fetch";
import { streamingForm, type FormPart } from "../multipart";
import type { AsrProvider } from "./types";
import { fromVerboseJson } from "./whisper-json";

/** OpenAI's own endpoint takes at most 25 MB; compatible servers set their own limits. */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * OpenAI `/v1/audio/transcriptions` (whisper-1) or any OpenAI-compatible server (its base URL in
 * the credential): the audio is uploaded as a streamed multipart file.
 */
export function openAiCompatible(options: { apiKey: string; baseUrl: string; model: string; maxBytes: number | null; timeoutMs: number; send?: OutboundSend }): AsrProvider {
  return {
    name: "openai",
    model: options.model,
    async start(request) {
      if (options.maxBytes !== null && request.audio.size > options.maxBytes) {
        throw new ProviderError(
          "OpenAI",
          `the audio is ${(request.audio.size / 1048576).toFixed(1)} MB, over the endpoint's ${(options.maxBytes / 1048576).toFixed(0)} MB limit; choose another provider`,
          false,
        );
      }
      const parts: FormPart[] = [
        { name: "model", value: options.model },
        { name: "response_format", value: "verbose_json" },
        { name: "timestamp_granularities[]", value: "word" },
        { name: "timestamp_granularities[]", value: "segment" },
        { name: "temperature", value: String(request.temperature) },
      ];
      if (request.language) parts.push({ name: "language", value: request.language });
      if (request.prompt) parts.push({ name: "prompt", value: request.prompt });
      parts.push({ name: "file", filename: request.audio.filename, contentType: request.audio.contentType, size: request.audio.size, body: await request.audio.open() });
      const form = streamingForm(parts);
      const body = await fetchJson<unknown>(
        "OpenAI",
        `${options.baseUrl.replace(/\/$/, "")}/v1/audio/transcriptions`,
        { method: "POST", headers: { Authorization: `Bearer ${options.apiKey}`, "Content-Type": form.contentType, "Content-Length": String(form.length) }, body: form.body },
        options.timeoutMs,
        options.send,
      );
      return { state: "done", transcript: fromVerboseJson("openai", options.model, body, request.language) };
    },
    async poll() {
      throw new ProviderError("OpenAI", "the transcription API has no jobs to poll", false);
    },
  };
}
