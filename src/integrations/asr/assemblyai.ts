import { languageCode } from "../../lib/transcripts/language";
import { segmentsFromWords } from "../../lib/transcripts/segment-builder";
import type { TranscriptWord } from "../../lib/transcripts/types";
import { fetchJson, ProviderError } from "../provider-error";
import type { OutboundSend } from "../safe-fetch";
import type { AsrProvider, TranscribeOutcome } from "./types";

interface AssemblyTranscript {
  id?: unknown;
  status?: unknown;
  error?: unknown;
  text?: unknown;
  language_code?: unknown;
  audio_duration?: unknown;
  speech_model_used?: unknown;
  words?: Array<{ text?: unknown; start?: unknown; end?: unknown; confidence?: unknown }>;
}

const SPEECH_MODELS = ["universal-3-pro", "universal-2"];

/**
 * AssemblyAI (EXTERNAL-APIS §5.2): the audio goes by URL (a presigned R2 URL, or AssemblyAI's own
 * upload when presigning is not configured), the job is polled — and, when this API has a public
 * URL, AssemblyAI's webhook wakes the stage early. Words come in integer milliseconds. `send`: how
 * requests reach baseUrl (policed when the base URL is the tenant's).
 */
export function assemblyAi(options: { apiKey: string; baseUrl: string; timeoutMs: number; keyterms: string[]; send?: OutboundSend }): AsrProvider {
  const base = options.baseUrl.replace(/\/$/, "");
  const headers = { Authorization: options.apiKey };
  return {
    name: "assemblyai",
    model: SPEECH_MODELS[0]!,
    async start(request) {
      let audioUrl = request.audio.url;
      if (!audioUrl) {
        const uploaded = await fetchJson<{ upload_url?: unknown }>(
          "AssemblyAI",
          `${base}/v2/upload`,
          {
            method: "POST",
            headers: { ...headers, "Content-Type": "application/octet-stream", "Content-Length": String(request.audio.size) },
            body: await request.audio.open(),
          },
          options.timeoutMs,
          options.send,
        );
        if (typeof uploaded.upload_url !== "string") throw new ProviderError("AssemblyAI", "the upload answered without upload_url", true);
        audioUrl = uploaded.upload_url;
      }
      const job = await fetchJson<AssemblyTranscript>(
        "AssemblyAI",
        `${base}/v2/transcript`,
        {
          method: "POST",
          headers: { ...headers, "Content-Type": "application/json" },
          body: JSON.stringify({
            audio_url: audioUrl,
            speech_models: SPEECH_MODELS,
            punctuate: true,
            format_text: true,
            ...(request.language ? { language_code: request.language } : { language_detection: true }),
            ...(options.keyterms.length > 0 ? { keyterms_prompt: options.keyterms } : {}),
            ...(request.webhook
              ? { webhook_url: request.webhook.url, webhook_auth_header_name: request.webhook.headerName, webhook_auth_header_value: request.webhook.headerValue }
              : {}),
          }),
        },
        options.timeoutMs,
        options.send,
      );
      if (typeof job.id !== "string") throw new ProviderError("AssemblyAI", "accepted the job but sent no id", true);
      return interpret(job, request.language);
    },
    async poll(jobId) {
      const job = await fetchJson<AssemblyTranscript>("AssemblyAI", `${base}/v2/transcript/${encodeURIComponent(jobId)}`, { headers }, options.timeoutMs, options.send);
      return interpret({ ...job, id: jobId }, null);
    },
  };
}

function interpret(job: AssemblyTranscript, requestedLanguage: string | null): TranscribeOutcome {
  const id = String(job.id);
  if (job.status === "error") throw new ProviderError("AssemblyAI", `the job failed: ${typeof job.error === "string" ? job.error : "no reason given"}`, false);
  if (job.status !== "completed") return { state: "pending", jobId: id };
  if (typeof job.text !== "string") throw new ProviderError("AssemblyAI", "the completed job has no text", false);
  const words: TranscriptWord[] = (job.words ?? []).flatMap((w) => {
    if (typeof w.text !== "string" || typeof w.start !== "number" || typeof w.end !== "number") return [];
    const confidence = typeof w.confidence === "number" ? { probability: w.confidence } : {};
    return [{ word: w.text, start: w.start / 1000, end: Math.max(w.start, w.end) / 1000, ...confidence }];
  });
  const language = typeof job.language_code === "string" ? (languageCode(job.language_code) ?? job.language_code) : (requestedLanguage ?? "und");
  return {
    state: "done",
    transcript: {
      language,
      duration: typeof job.audio_duration === "number" ? job.audio_duration : (words.at(-1)?.end ?? 0),
      text: job.text,
      words,
      segments: segmentsFromWords(words),
      provider: "assemblyai",
      model: typeof job.speech_model_used === "string" ? job.speech_model_used : SPEECH_MODELS[0]!,
    },
  };
}
