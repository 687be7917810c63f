import { forTenant } from "../../db/repositories/tenant";
import type { RecordingStatus } from "../../db/schema";
import { conflict, badRequest, notFound } from "../../lib/errors";
import { storageKeys } from "../../lib/storage-keys";
import { effectiveUserConfig } from "../config/resolve";
import type { ServiceContext } from "../context";
import { recordStoredBytes } from "../quotas/run-slots";
import { expiryFor } from "../recordings/retention-dates";
import { NO_TEMPLATE_REASON } from "../recordings/skip-reasons";

const GONE_FROM_ZOOM = new Set(["trashed", "deleted", "trashed_by_us"]);

/**
 * §4.8 reset: the recording goes back to where the pipeline starts, keeping its template, mapping
 * and overrides. Every derived file (trimmed video, transcripts, subtitles…) is deleted. The copied
 * source is deleted only with `delete_files` and only when it can be fetched again (⚠ LEAP also
 * deleted direct uploads and recordings already removed from Zoom, losing them for good); when it
 * is kept the recording is DOWNLOADED. Refused while a run is active: cancel it first.
 */
export async function resetRecording(ctx: ServiceContext, userId: string, recordingId: number, deleteFiles: boolean) {
  const tenant = forTenant(ctx.db, userId);
  const recording = await tenant.recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  if (recording.deleted) throw badRequest("Recording is deleted; restore it first");
  const active = await tenant.runs.active(recordingId);
  if (active) throw conflict("The recording has an active run; cancel it first", { task_id: active.id });

  const meta = await tenant.recordings.source(recordingId);
  const info = meta?.metadata ?? {};
  const refetchable =
    (meta?.sourceType === "ZOOM" && typeof info.video_file_id === "string" && !GONE_FROM_ZOOM.has(String(info.zoom_state ?? ""))) ||
    (meta?.sourceType === "URL" && typeof info.url === "string");
  const keepSource = recording.sourceObjectKey !== null && !(deleteFiles && refetchable);
  const kept = new Set(keepSource ? [recording.sourceObjectKey, recording.audioObjectKey].filter((k): k is string => k !== null) : []);

  const prefix = storageKeys.recordingRoot(userId, recordingId);
  const deleted: string[] = [];
  const errors: string[] = [];
  let freed = 0;
  let cursor: string | undefined;
  do {
    const page = await ctx.env.MEDIA.list({ prefix, cursor });
    const doomed = page.objects.filter((o) => !kept.has(o.key));
    if (doomed.length > 0) {
      try {
        await ctx.env.MEDIA.delete(doomed.map((o) => o.key));
        freed += doomed.reduce((sum, o) => sum + o.size, 0);
        deleted.push(...doomed.map((o) => o.key.slice(prefix.length)));
      } catch (error) {
        errors.push(error instanceof Error ? error.message : "delete failed");
      }
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  if (freed > 0) await recordStoredBytes(ctx, userId, -freed);

  const status: RecordingStatus = keepSource
    ? "DOWNLOADED"
    : info.zoom_processing_incomplete === true
      ? "PENDING_SOURCE"
      : recording.isMapped
        ? "INITIALIZED"
        : "SKIPPED";
  const now = ctx.clock.now();
  const config = effectiveUserConfig((await tenant.config.getOrCreate(now)).configData);
  await tenant.stages.deleteAll(recordingId);
  await tenant.recordings.deleteOutputs(recordingId);
  await tenant.recordings.update(recordingId, {
    status,
    skipReason: status === "SKIPPED" ? NO_TEMPLATE_REASON : null,
    failed: false,
    failedAt: null,
    failedReason: null,
    failedAtStage: null,
    sourceObjectKey: keepSource ? recording.sourceObjectKey : null,
    audioObjectKey: keepSource ? recording.audioObjectKey : null,
    processedObjectKey: null,
    expireAt: expiryFor(config, now),
    updatedAt: now,
  });
  return {
    success: errors.length === 0,
    recording_id: recordingId,
    message: keepSource ? "Reset; the stored source was kept" : "Reset to the start of the pipeline",
    deleted_files: deleted,
    errors,
    status,
    preserved: {
      template_id: recording.templateId,
      is_mapped: recording.isMapped,
      processing_preferences: recording.processingPreferences,
      source_file: keepSource,
    },
  };
}
