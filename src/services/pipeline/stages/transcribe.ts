import type { RecordingRow } from "../../../db/repositories/recordings.repository";
import type { AudioInput, TranscribeOutcome } from "../../../integrations/asr/types";
import { hmacSha256Hex } from "../../../lib/crypto";
import { log } from "../../../lib/logger";
import { CutRangeError, extractAudio, UnsupportedMediaError } from "../../../media/isobmff";
import { canPresign, presignGet } from "../../../lib/presign";
import { storageKeys } from "../../../lib/storage-keys";
import type { ServiceContext } from "../../context";
import { addMonthlyUsage } from "../../quotas/quota.service";
import { recordStoredBytes } from "../../quotas/run-slots";
import { resolveRecordingConfig } from "../../recordings/recording-config.service";
import { shiftTranscript, transcriptSummary } from "../../transcripts/normalize";
import { putArtifact } from "../../transcripts/storage";
import type { Transcript } from "../../../lib/transcripts/types";
import { asrProviderFor, composePrompt } from "../../transcription/providers";
import { PermanentStageError } from "../stage-errors";
import type { StageExecutor, StageProgress, StepResult } from "../stage-executor";
import type { ConfigLayer } from "../../config/resolve";

interface TranscribeProgress extends StageProgress {
  provider?: string;
  /** The .m4a cut out of the video for this transcription, when Zoom gave none. */
  extracted_audio?: string;
  extracted_audio_bytes?: number;
  audio?: { key: string; size: number };
  job?: { id: string; submitted_at: string; polls: number };
}

export const ASSEMBLYAI_WEBHOOK_HEADER = "X-Lecture-Webhook";
export const assemblyWebhookSecret = (ctx: ServiceContext, runId: string) => hmacSha256Hex(ctx.config.JWT_SECRET, `assemblyai-webhook:${runId}`);

/**
 * The audio to send: Zoom's own M4A when it was copied; else the audio track cut out of the MP4
 * without re-encoding (a fraction of the video's size, which keeps providers' upload limits in
 * reach); else, for containers the cutter does not read (WebM), the video itself.
 */
async function ensureAudio(ctx: ServiceContext, recording: RecordingRow, progress: TranscribeProgress): Promise<string> {
  if (recording.audioObjectKey) return recording.audioObjectKey;
  const source = recording.sourceObjectKey;
  if (!source) throw new PermanentStageError("The recording has no stored audio or video to transcribe");
  const key = storageKeys.recordingAudio(recording.userId, recording.id, "m4a");
  try {
    const extracted = await extractAudio(ctx.env.MEDIA, source, key, undefined, { partSize: ctx.config.DOWNLOAD_PART_BYTES });
    await recordStoredBytes(ctx, recording.userId, extracted.size);
    progress.extracted_audio = key;
    progress.extracted_audio_bytes = extracted.size;
    return key;
  } catch (error) {
    if (!(error instanceof UnsupportedMediaError || error instanceof CutRangeError)) throw error;
    log.info("audio not extracted; sending the video", { recordingId: recording.id, reason: error.message });
    return source;
  }
}

async function audioOf(ctx: ServiceContext, key: string): Promise<AudioInput & { key: string }> {
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
      const audio = await audioOf(ctx, await ensureAudio(ctx, recording, progress));
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
    const stored = await storeTranscript(ctx, recording, outcome.transcript, progress);
    delete progress.extracted_audio_bytes;
    // The month's transcription allowance is counted in seconds of audio transcribed.
    await addMonthlyUsage(ctx, recording.userId, "transcription_seconds", Math.max(1, Math.round(outcome.transcript.duration)));
    return { done: true, recording: { ...stored, ...(progress.extracted_audio ? { audioObjectKey: progress.extracted_audio } : {}) } };
  },

  discard: discardExtractedAudio,
};

/**
 * Stores the transcript twice: on the source's timeline (what a later trim cuts by) and as the
 * recording's transcript, which follows the trimmed video when the recording was trimmed before.
 */
/** A failed or cancelled transcription leaves no extracted audio behind. */
async function discardExtractedAudio(ctx: ServiceContext, recording: RecordingRow, raw: StageProgress) {
  const progress = raw as TranscribeProgress;
  if (!progress.extracted_audio || progress.extracted_audio_bytes === undefined || recording.audioObjectKey === progress.extracted_audio) return;
  await ctx.env.MEDIA.delete(progress.extracted_audio);
  await recordStoredBytes(ctx, recording.userId, -progress.extracted_audio_bytes);
  delete progress.extracted_audio;
  delete progress.extracted_audio_bytes;
}

async function storeTranscript(ctx: ServiceContext, recording: RecordingRow, transcript: Transcript, progress: TranscribeProgress) {
  const key = storageKeys.transcript(recording.userId, recording.id);
  const json = "application/json; charset=utf-8";
  const trim = recording.trimInfo as { start?: unknown; duration?: unknown } | null;
  const shiftedBy = typeof trim?.start === "number" && typeof trim.duration === "number" && recording.processedObjectKey !== recording.sourceObjectKey ? trim.start : 0;
  const current = shiftedBy > 0 ? shiftTranscript(transcript, -shiftedBy, Number(trim?.duration)) : transcript;
  const added =
    (await putArtifact(ctx, storageKeys.transcriptSourceTimeline(recording.userId, recording.id), JSON.stringify(transcript), json)) +
    (await putArtifact(ctx, key, JSON.stringify(current), json));
  await recordStoredBytes(ctx, recording.userId, added);
  const summary = { ...transcriptSummary(current), provider: transcript.provider, model: transcript.model, ...(shiftedBy > 0 ? { shifted_by: shiftedBy } : {}) };
  progress.summary = summary;
  log.info("transcript stored", { recordingId: recording.id, provider: transcript.provider, words: transcript.words.length });
  return { transcriptObjectKey: key, transcriptInfo: summary };
}
