import type { RecordingRow } from "../../../db/repositories/recordings.repository";
import { forTenant } from "../../../db/repositories/tenant";
import type { PresetPlatform, TARGET_TYPES } from "../../../db/schema";
import { log } from "../../../lib/logger";
import { storageKeys } from "../../../lib/storage-keys";
import type { ConfigLayer } from "../../config/resolve";
import type { ServiceContext } from "../../context";
import { preparePublication } from "../../presets/publication";
import { publishVkStep } from "../../publishing/publish-vk";
import { publishYandexStep } from "../../publishing/publish-yandex";
import type { PublishInput, PublishStep } from "../../publishing/publish-types";
import { publishYouTubeStep } from "../../publishing/publish-youtube";
import { resolveRecordingConfig } from "../../recordings/recording-config.service";
import { classifyStageError, PermanentStageError } from "../stage-errors";
import type { StageExecutor, StageProgress } from "../stage-executor";

export const TARGET_TYPE: Record<PresetPlatform, (typeof TARGET_TYPES)[number]> = { youtube: "YOUTUBE", vk: "VK", yandex_disk: "YANDEX_DISK" };
const PUBLISH: Record<(typeof TARGET_TYPES)[number], (input: PublishInput) => Promise<PublishStep>> = {
  YOUTUBE: publishYouTubeStep,
  VK: publishVkStep,
  YANDEX_DISK: publishYandexStep,
};

interface UploadProgress extends StageProgress {
  targets?: number[];
  failures?: Record<string, string>;
  skipped?: string[];
}

async function captionsFor(ctx: ServiceContext, recording: RecordingRow) {
  const formats = (recording.subtitlesInfo?.formats ?? []) as string[];
  if (!formats.includes("srt")) return null;
  const object = await ctx.env.MEDIA.get(storageKeys.subtitles(recording.userId, recording.id, "srt"));
  if (!object) return null;
  const language = typeof recording.transcriptInfo?.language === "string" ? recording.transcriptInfo.language : "und";
  return { language, name: "Subtitles", body: await object.text() };
}

/**
 * Publishing (§4.5 with its → fixes): one output target per (recording, platform, preset), each
 * advanced a step per message with its upload state persisted (so a redelivery or a retry never
 * publishes twice). A platform that fails for good is marked FAILED with the reason while the
 * others go on; the stage then fails naming them, and `retry-upload` retries only those. When all
 * targets of the recording are UPLOADED the recording is READY (⚠ LEAP never got there).
 */
export const uploadStage: StageExecutor = {
  maxAttempts: 6,
  leaseMs: 15 * 60_000,

  async step({ ctx, recording, run, progress: raw }) {
    const progress = raw as UploadProgress;
    const tenant = forTenant(ctx.db, recording.userId);
    const now = ctx.clock.now();
    if (!progress.targets) {
      const { effective: config } = await resolveRecordingConfig(ctx, recording, (run.overrides ?? undefined) as ConfigLayer | undefined);
      const presets = tenant.presets;
      progress.targets = [];
      progress.skipped = [];
      for (const id of config.upload.preset_ids ?? []) {
        const preset = await presets.get(id);
        if (!preset || !preset.isActive) {
          progress.skipped.push(`preset ${id} is ${preset ? "inactive" : "gone"}`);
          continue;
        }
        progress.targets.push((await tenant.outputs.ensure(recording.id, TARGET_TYPE[preset.platform], preset.id, now)).id);
      }
      if (progress.targets.length === 0) throw new PermanentStageError(`No active output preset to publish with${progress.skipped.length ? ` (${progress.skipped.join("; ")})` : ""}`);
      progress.failures = {};
    }
    const videoKey = recording.processedObjectKey ?? recording.sourceObjectKey;
    const head = videoKey ? await ctx.env.MEDIA.head(videoKey) : null;
    if (!videoKey || !head) throw new PermanentStageError("The recording has no stored video to publish");
    const failures = (progress.failures ??= {});

    for (const id of progress.targets) {
      const target = await tenant.outputs.get(id);
      if (!target || target.status === "UPLOADED" || failures[id] || target.presetId === null) continue;
      if (target.status !== "UPLOADING") await tenant.outputs.update(id, { status: "UPLOADING", failed: false, failedReason: null, updatedAt: now });
      const state: Record<string, unknown> = { ...(target.targetMeta ?? {}) };
      const save = async () => {
        await tenant.outputs.update(id, { targetMeta: state, updatedAt: ctx.clock.now() });
      };
      try {
        const publication = await preparePublication(ctx, recording.userId, { presetId: target.presetId, recordingId: recording.id });
        const step = await PUBLISH[target.targetType]({
          ctx,
          userId: recording.userId,
          recording,
          target,
          publication,
          video: { key: videoKey, size: head.size },
          state,
          save,
          captions: target.targetType === "YOUTUBE" && publication.platform === "youtube" ? await captionsFor(ctx, recording) : null,
        });
        if (!step.done) return { done: false, delaySeconds: step.delaySeconds };
        await tenant.outputs.update(id, {
          status: "UPLOADED",
          uploadedAt: ctx.clock.now(),
          failed: false,
          failedReason: null,
          targetMeta: { ...state, video_id: step.videoId, video_url: step.url, platform: target.targetType, uploaded_by_run: run.id },
          updatedAt: ctx.clock.now(),
        });
        log.info("published", { recordingId: recording.id, target: target.targetType, url: step.url });
        return { done: false }; // the next target (or the summary) in the next message
      } catch (error) {
        const { retryable, message } = classifyStageError(error);
        if (retryable) throw error;
        failures[id] = `${target.targetType}: ${message}`;
        await tenant.outputs.update(id, {
          status: "FAILED",
          failed: true,
          failedAt: ctx.clock.now(),
          failedReason: message.slice(0, 1000),
          retryCount: target.retryCount + 1,
          targetMeta: state,
          updatedAt: ctx.clock.now(),
        });
      }
    }
    const failed = Object.values(failures);
    if (failed.length > 0) throw new PermanentStageError(`Publishing failed: ${failed.join("; ")}`);
    const all = await tenant.outputs.list(recording.id);
    return { done: true, recording: { status: all.every((t) => t.status === "UPLOADED") ? "READY" : "UPLOADED" } };
  },

  async discard(ctx, recording, raw) {
    // Targets left mid-upload by exhausted retries or a cancel are FAILED, so they can be retried.
    const tenant = forTenant(ctx.db, recording.userId);
    for (const id of (raw as UploadProgress).targets ?? []) {
      const target = await tenant.outputs.get(id);
      if (target?.status === "UPLOADING") {
        await tenant.outputs.update(id, { status: "FAILED", failed: true, failedAt: ctx.clock.now(), failedReason: "The upload was interrupted", updatedAt: ctx.clock.now() });
      }
    }
  },
};
