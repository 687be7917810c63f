import { fetchJson, ProviderError } from "../provider-error";
import type { OutboundSend } from "../safe-fetch";
import { streamingForm, type FormPart } from "../multipart";
import type { AsrProvider, TranscribeOutcome, TranscribeRequest } from "./types";
import { fromVerboseJson } from "./whisper-json";

export interface FireworksOptions {
  apiKey: string;
  model: string;
  audioBaseUrl: string;
  batchBaseUrl: string;
  /** Required by the batch API's status endpoint. */
  accountId: string | null;
  timeoutMs: number;
  /** How requests reach audioBaseUrl (policed when the base URL is the tenant's). */
  audioSend?: OutboundSend;
}

/** The form both the sync and the batch endpoint take (EXTERNAL-APIS §5.1): the audio by URL when possible. */
async function transcriptionForm(request: TranscribeRequest, model: string): Promise<FormPart[]> {
  const parts: FormPart[] = [
    { name: "model", value: model },
    { name: "response_format", value: "verbose_json" },
    { name: "timestamp_granularities", value: "word,segment" },
    { name: "temperature", value: String(request.temperature) },
  ];
  if (request.language) parts.push({ name: "language", value: request.language });
  if (request.prompt) parts.push({ name: "prompt", value: request.prompt });
  parts.push(
    request.audio.url
      ? { name: "file", value: request.audio.url }
      : { name: "file", filename: request.audio.filename, contentType: request.audio.contentType, size: request.audio.size, body: await request.audio.open() },
  );
  return parts;
}

/** Fireworks Whisper, synchronous: one request answers the whole transcript (any length, up to 1 GB). */
export function fireworksSync(options: FireworksOptions): AsrProvider {
  return {
    name: "fireworks",
    model: options.model,
    async start(request) {
      const form = streamingForm(await transcriptionForm(request, options.model));
      const body = await fetchJson<unknown>(
        "Fireworks",
        `${options.audioBaseUrl.replace(/\/$/, "")}/v1/audio/transcriptions`,
        { method: "POST", headers: { Authorization: options.apiKey, "Content-Type": form.contentType, "Content-Length": String(form.length) }, body: form.body },
        options.timeoutMs,
        options.audioSend,
      );
      return { state: "done", transcript: fromVerboseJson("fireworks", options.model, body, request.language) };
    },
    async poll() {
      throw new ProviderError("Fireworks", "the synchronous API has no jobs to poll", false);
    },
  };
}

/**
 * Fireworks' batch API (about half the price): submit returns a batch id; the status endpoint
 * answers `completed` with the verbose_json as a string in `body`. Polled from delayed queue
 * messages (⚠ LEAP's polling task could never run).
 */
export function fireworksBatch(options: FireworksOptions): AsrProvider {
  const base = options.batchBaseUrl.replace(/\/$/, "");
  const endpointId = options.model.includes("turbo") ? "audio-turbo" : "audio-prod";
  return {
    name: "fireworks-batch",
    model: options.model,
    async start(request) {
      if (!options.accountId) throw new ProviderError("Fireworks", "the batch API needs the credential's account_id", false);
      const form = streamingForm(await transcriptionForm(request, options.model));
      const body = await fetchJson<{ batch_id?: unknown }>(
        "Fireworks batch",
        `${base}/v1/audio/transcriptions?endpoint_id=${endpointId}`,
        { method: "POST", headers: { Authorization: options.apiKey, "Content-Type": form.contentType, "Content-Length": String(form.length) }, body: form.body },
        options.timeoutMs,
      );
      if (typeof body.batch_id !== "string" || !body.batch_id) throw new ProviderError("Fireworks batch", "accepted the job but sent no batch_id", true);
      return { state: "pending", jobId: body.batch_id };
    },
    async poll(jobId): Promise<TranscribeOutcome> {
      const status = await fetchJson<{ status?: unknown; body?: unknown }>(
        "Fireworks batch",
        `${base}/v1/accounts/${encodeURIComponent(options.accountId ?? "")}/batch_job/${encodeURIComponent(jobId)}`,
        { headers: { Authorization: options.apiKey } },
        options.timeoutMs,
      );
      const state = typeof status.status === "string" ? status.status.toLowerCase() : "";
      if (state === "failed" || state === "error" || state === "cancelled" || state === "expired") {
        throw new ProviderError("Fireworks batch", `the job ended as ${state}`, false);
      }
      if (state !== "completed") return { state: "pending", jobId };
      let parsed: unknown;
      try {
        parsed = typeof status.body === "string" ? JSON.parse(status.body) : status.body;
      } catch {
        throw new ProviderError("Fireworks batch", "the completed job's body is not JSON", false);
      }
      return { state: "done", transcript: fromVerboseJson("fireworks-batch", options.model, parsed, null) };
    },
  };
}
