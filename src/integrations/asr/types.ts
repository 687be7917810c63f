import type { Transcript } from "../../lib/transcripts/types";

/** The audio to transcribe: a presigned URL when the deployment can make one, and always a way to stream it. */
export interface AudioInput {
  url: string | null;
  size: number;
  filename: string;
  contentType: string;
  open(): Promise<ReadableStream<Uint8Array>>;
}

export interface TranscribeRequest {
  audio: AudioInput;
  /** ISO 639-1, or null to let the provider detect it. */
  language: string | null;
  /** Vocabulary / context prompt (LEAP's composition with the course name, §5.4). */
  prompt: string;
  temperature: number;
  /** Where the provider may call back when the job is done (AssemblyAI), with the header to send. */
  webhook?: { url: string; headerName: string; headerValue: string } | null;
}

export type TranscribeOutcome = { state: "done"; transcript: Transcript } | { state: "pending"; jobId: string };

export const ASR_PROVIDERS = ["fireworks", "fireworks-batch", "assemblyai", "openai", "workers-ai"] as const;
export type AsrProviderName = (typeof ASR_PROVIDERS)[number];

/**
 * One transcription service. Synchronous providers answer `done` from `start`; asynchronous ones
 * answer `pending` with a job id that `poll` is asked about later (from delayed queue messages).
 */
export interface AsrProvider {
  readonly name: AsrProviderName;
  readonly model: string;
  start(request: TranscribeRequest): Promise<TranscribeOutcome>;
  poll(jobId: string): Promise<TranscribeOutcome>;
}
