import type { RecordingRow } from "../../../db/repositories/recordings.repository";
import { forTenant } from "../../../db/repositories/tenant";
import type { PresetPlatform, TARGET_TYPES } from "../../../db/schema";
import { log } from "../../../lib/logger";
import { sanitizeProviderMessage } from "../../../lib/sanitize-provider-message";
import { storageKeys } from "../../../lib/storage-keys";
import type { ConfigLayer } from "../../config/resolve";
import type { ServiceContext } from "../../context";
import { announceOutputPublished } from "../../notifications/announcements";
import { TemplateRefusedError } from "../../metadata";
import { preparePublication } from "../../presets/publication";
import { publishVkStep } from "../../publishing/publish-vk";
import { publishYandexStep } from "../../publishing/publish-yandex";
import type { PublishInput, PublishStep } from "../../publishing/publish-types";
import { chosenPresets } from "../../publishing/preset-choice";
import { publishYouTubeStep } from "../../publishing/publish-youtube";
import { extrasPending, failOpenExtras } from "../../publishing/youtube-extras";
import { resolveRecordingConfig } from "../../recordings/recording-config.service";
import { classifyStageError, PermanentStageError } from "../stage-errors";
import type { StageExecutor, StageProgress } from "../stage-executor";
import { stepBudget } from "../step-budget";

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
  /** The run's `upload.upload_captions`, resolved with the targets. */
  upload_captions?: boolean;
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

  async step({ ctx, recording, run, progress: raw, budget: given }) {
    const progress = raw as UploadProgress;
    const budget = given ?? stepBudget(ctx);
    const tenant = forTenant(ctx.db, recording.userId);
    const now = ctx.clock.now();
    if (progress.targets && progress.upload_captions === undefined) {
      // Progress saved before the switch was kept: read it once now.
      progress.upload_captions = (await resolveRecordingConfig(ctx, recording, (run.overrides ?? undefined) as ConfigLayer | undefined)).effective.upload.upload_captions;
    }
    if (!progress.targets) {
      const { effective: config } = await resolveRecordingConfig(ctx, recording, (run.overrides ?? undefined) as ConfigLayer | undefined);
      progress.upload_captions = config.upload.upload_captions;
      const presets = tenant.presets;
      progress.targets = [];
      progress.skipped = [];
      for (const { id, platform } of chosenPresets(config.upload)) {
        const preset = await presets.get(id);
        if (!preset?.isActive) {
          progress.skipped.push(`preset ${id} is ${preset ? "inactive" : "gone"}`);
          continue;
        }
        if (platform && preset.platform !== platform) {
          progress.skipped.push(`preset ${id} (upload.default_preset_ids.${platform}) publishes to ${preset.platform}`);
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
    progress.failures ??= {};
    const failures = progress.failures;

    for (const id of progress.targets) {
      const target = await tenant.outputs.get(id);
      if (!target || failures[id] || target.presetId === null) continue;
      // A published video is never sent again; only its pending extras (thumbnail, playlist, captions) are finished.
      const published = target.status === "UPLOADED";
      if (published && !extrasPending(target.targetMeta)) continue;
      if (target.status !== "UPLOADING" && !published) await tenant.outputs.update(id, { status: "UPLOADING", failed: false, failedReason: null, updatedAt: now });
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
          captions: target.targetType === "YOUTUBE" && publication.platform === "youtube" && progress.upload_captions !== false ? await captionsFor(ctx, recording) : null,
          budget,
        });
        if (!step.done) return { done: false, delaySeconds: step.delaySeconds };
        await tenant.outputs.update(id, {
          status: "UPLOADED",
          uploadedAt: published ? target.uploadedAt : ctx.clock.now(),
          failed: false,
          failedReason: null,
          targetMeta: { ...state, video_id: step.videoId, video_url: step.url, platform: target.targetType, uploaded_by_run: published ? (state.uploaded_by_run ?? run.id) : run.id },
          updatedAt: ctx.clock.now(),
        });
        if (!published) {
          await tenant.presets.recordUse(target.presetId, ctx.clock.now());
          await announceOutputPublished(ctx, recording, { id, platform: target.targetType, presetId: target.presetId, url: step.url ?? null, videoId: step.videoId ?? null });
        }
        log.info("published", { recordingId: recording.id, target: target.targetType, url: step.url });
        // The next target (or the summary) in this invocation while the step budget lasts, else in the next message.
        if (!budget.hasTime()) return { done: false };
      } catch (error) {
        // A template the sandbox refused fails this target at once, with its reason (another attempt renders the same).
        const classified = classifyStageError(error instanceof TemplateRefusedError ? new PermanentStageError(error.message) : error);
        if (classified.retryable) throw error;
        const message = sanitizeProviderMessage(classified.message, 1000);
        if (published) {
          // The video stays published: the extras this run could not reach are reported on the output.
          await tenant.outputs.update(id, { targetMeta: failOpenExtras(state, message), updatedAt: ctx.clock.now() });
          continue;
        }
        failures[id] = `${target.targetType}: ${message}`;
        await tenant.outputs.update(id, {
          status: "FAILED",
          failed: true,
          failedAt: ctx.clock.now(),
          failedReason: message,
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
