import type { RecordingRow } from "../../../db/repositories/recordings.repository";
import type { AudioInput, TranscribeOutcome } from "../../../integrations/asr/types";
import { hmacSha256Hex } from "../../../lib/crypto";
import { log } from "../../../lib/logger";
import { canPresign, presignGet } from "../../../lib/presign";
import { storageKeys } from "../../../lib/storage-keys";
import type { ServiceContext } from "../../context";
import { recordStoredBytes } from "../../quotas/run-slots";
import { resolveRecordingConfig } from "../../recordings/recording-config.service";
import { transcriptSummary } from "../../transcripts/normalize";
import type { Transcript } from "../../transcripts/types";
import { asrProviderFor, composePrompt } from "../../transcription/providers";
import { PermanentStageError } from "../stage-errors";
import type { StageExecutor, StageProgress, StepResult } from "../stage-executor";
import type { ConfigLayer } from "../../config/resolve";

interface TranscribeProgress extends StageProgress {
  provider?: string;
  audio?: { key: string; size: number };
  job?: { id: string; submitted_at: string; polls: number };
}

export const ASSEMBLYAI_WEBHOOK_HEADER = "X-Lecture-Webhook";
export const assemblyWebhookSecret = (ctx: ServiceContext, runId: string) => hmacSha256Hex(ctx.config.JWT_SECRET, `assemblyai-webhook:${runId}`);

/** The audio to send: Zoom's own M4A when it was copied, else the recording's video. */
async function audioOf(ctx: ServiceContext, recording: RecordingRow): Promise<AudioInput & { key: string }> {
  const key = recording.audioObjectKey ?? recording.sourceObjectKey;
  if (!key) throw new PermanentStageError("The recording has no stored audio or video to transcribe");
  const head = await ctx.env.MEDIA.head(key);
  if (!head) throw new PermanentStageError("The stored audio is missing");
  const contentType = head.httpMetadata?.contentType ?? (key.endsWith(".m4a") ? "audio/mp4" : "video/mp4");
  return {
    key,
    url: canPresign(ctx.config) ? await presignGet(ctx.config, key) : null,
    size: head.size,
    filename: key.slice(key.lastIndexOf("/") + 1),
    contentType,
    async open() {
      const object = await ctx.env.MEDIA.get(key);
      if (!object) throw new PermanentStageError("The stored audio is missing");
      return object.body;
    },
  };
}

/**
 * The transcription stage: hands the audio to the configured provider (by presigned URL where it
 * takes one, streamed otherwise). Synchronous providers finish in one step; asynchronous jobs are
 * polled by delayed queue messages (and AssemblyAI's webhook, when the API has a public URL, wakes
 * the stage early). The normalised transcript is stored in R2; D1 keeps its pointer and summary.
 */
export const transcribeStage: StageExecutor = {
  maxAttempts: 5,
  leaseMs: 15 * 60_000,

  async step({ ctx, recording, run, progress: raw }): Promise<StepResult> {
    const progress = raw as TranscribeProgress;
    const { effective: config } = await resolveRecordingConfig(ctx, recording, (run.overrides ?? undefined) as ConfigLayer | undefined);
    const provider = await asrProviderFor(ctx, recording.userId, config);
    let outcome: TranscribeOutcome;
    if (progress.job && progress.provider === provider.name) {
      outcome = await provider.poll(progress.job.id);
      progress.job.polls += 1;
    } else {
      const audio = await audioOf(ctx, recording);
      const language = config.transcription.language === "auto" ? null : config.transcription.language || null;
      const webhookBase = ctx.config.PUBLIC_BASE_URL.replace(/\/$/, "");
      outcome = await provider.start({
        audio,
        language,
        prompt: composePrompt(config.transcription.prompt, recording.displayName),
        temperature: config.transcription.temperature,
        webhook: webhookBase
          ? { url: `${webhookBase}/api/v1/webhooks/assemblyai?run=${run.id}`, headerName: ASSEMBLYAI_WEBHOOK_HEADER, headerValue: await assemblyWebhookSecret(ctx, run.id) }
          : null,
      });
      progress.provider = provider.name;
      progress.audio = { key: audio.key.slice(audio.key.lastIndexOf("/") + 1), size: audio.size };
      if (outcome.state === "pending") progress.job = { id: outcome.jobId, submitted_at: ctx.clock.now().toISOString(), polls: 0 };
    }
    if (outcome.state === "pending") {
      const waited = (ctx.clock.now().getTime() - Date.parse(progress.job!.submitted_at)) / 1000;
      if (waited > ctx.config.TRANSCRIPTION_MAX_WAIT_SECONDS) {
        throw new PermanentStageError(`The ${provider.name} job did not finish within ${Math.round(ctx.config.TRANSCRIPTION_MAX_WAIT_SECONDS / 60)} minutes`);
      }
      return { done: false, delaySeconds: ctx.config.TRANSCRIPTION_POLL_SECONDS };
    }
    return { done: true, recording: await storeTranscript(ctx, recording, outcome.transcript, progress) };
  },
};

async function storeTranscript(ctx: ServiceContext, recording: RecordingRow, transcript: Transcript, progress: TranscribeProgress) {
  const key = storageKeys.transcript(recording.userId, recording.id);
  const previous = await ctx.env.MEDIA.head(key);
  const stored = await ctx.env.MEDIA.put(key, JSON.stringify(transcript), { httpMetadata: { contentType: "application/json; charset=utf-8" } });
  await recordStoredBytes(ctx, recording.userId, stored.size - (previous?.size ?? 0));
  const summary = { ...transcriptSummary(transcript), provider: transcript.provider, model: transcript.model };
  progress.summary = summary;
  log.info("transcript stored", { recordingId: recording.id, provider: transcript.provider, words: transcript.words.length });
  return { transcriptObjectKey: key, transcriptInfo: summary };
}
