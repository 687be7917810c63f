import type { RecordingRow } from "../../db/repositories/recordings.repository";
import { forTenant } from "../../db/repositories/tenant";
import { recordings } from "../../db/schema";
import { parseRetryAfter, ZoomApiError } from "../../integrations/zoom/errors";
import { eq } from "drizzle-orm";
import { retryDelaySeconds } from "../../jobs/backoff";
import { enqueue } from "../../jobs/messages";
import { log } from "../../lib/logger";
import { storageKeys } from "../../lib/storage-keys";
import { ByteSplitter, pipeFixedLength } from "../../lib/streams";
import type { ServiceContext } from "../context";
import { deleteFromZoomAfterCopy } from "../zoom/delete-after-copy";
import { downloadRunKey, recordStoredBytes, releaseRunSlot } from "../quotas/run-slots";
import { resolveDownload } from "./download-source";

const LEASE_MS = 10 * 60_000;
export const MAX_DOWNLOAD_ATTEMPTS = 6;

type Progress = Record<string, unknown> & {
  key?: string;
  upload_id?: string;
  file_id?: string;
  total?: number;
  part_size?: number;
  parts?: Array<{ partNumber: number; etag: string }>;
  offset?: number;
  avoid_webhook_token?: boolean;
  last_error?: string;
};

class PermanentDownloadError extends Error {}
class RetryableDownloadError extends Error {
  constructor(message: string, readonly retryAfterSeconds: number | null = null) {
    super(message);
  }
}

/**
 * One step of the download stage: claim the stage, move up to DOWNLOAD_PARTS_PER_MESSAGE parts of
 * the Zoom file into an R2 multipart upload (resuming with Range at the persisted offset), persist
 * progress after every part, and either enqueue the next step or complete and verify the copy.
 * Transient failures keep the progress and retry with backoff; permanent ones fail the stage,
 * flag the recording and roll its status back to INITIALIZED.
 */
export async function runDownloadStep(ctx: ServiceContext, userId: string, recordingId: number): Promise<void> {
  const tenant = forTenant(ctx.db, userId);
  const stage = await tenant.stages.claim(recordingId, "DOWNLOAD", ctx.clock.now(), LEASE_MS);
  if (!stage) return; // another delivery holds it, or it is finished
  const recording = await tenant.recordings.get(recordingId);
  const progress: Progress = { ...(stage.stageMeta ?? {}) };
  if (!recording || recording.deleted || recording.status !== "DOWNLOADING") {
    await tenant.stages.finish(recordingId, "DOWNLOAD", { status: "FAILED", reason: "recording is no longer waiting for a download" }, progress, ctx.clock.now());
    await releaseRunSlot(ctx, userId, downloadRunKey(recordingId));
    return;
  }
  try {
    const done = await copyChunk(ctx, recording, progress);
    if (done) await completeDownload(ctx, recording, progress);
    else {
      const next = await tenant.stages.progress(recordingId, "DOWNLOAD", progress, ctx.clock.now(), true);
      if (next === "PENDING") await enqueue(ctx.env, { type: "stage.download", userId, recordingId });
      else log.info("download paused", { recordingId, offset: progress.offset });
    }
  } catch (error) {
    await handleFailure(ctx, recording, progress, stage.attempts + 1, error);
  }
}

async function copyChunk(ctx: ServiceContext, recording: RecordingRow, progress: Progress): Promise<boolean> {
  const access = await resolveDownload(ctx, recording, { avoidWebhookToken: progress.avoid_webhook_token === true });
  if (!access) throw new PermanentDownloadError("The recording has no downloadable Zoom video file");
  if (progress.total !== undefined && progress.total !== access.expectedSize) {
    throw new PermanentDownloadError(`Zoom now reports ${access.expectedSize} bytes, the copy started with ${progress.total}`);
  }
  progress.total = access.expectedSize;
  progress.file_id = access.fileId;
  progress.part_size ??= ctx.config.DOWNLOAD_PART_BYTES;
  progress.parts ??= [];
  progress.offset ??= 0;
  if (!progress.upload_id) {
    progress.key = storageKeys.recordingSource(recording.userId, recording.id, "mp4");
    progress.upload_id = (await ctx.env.MEDIA.createMultipartUpload(progress.key, { httpMetadata: { contentType: "video/mp4" } })).uploadId;
  }
  const total = progress.total;
  const partSize = progress.part_size;
  const end = Math.min(total, progress.offset + partSize * ctx.config.DOWNLOAD_PARTS_PER_MESSAGE) - 1;
  let response: Response;
  try {
    response = await fetch(access.url, { headers: { Authorization: `Bearer ${access.token}`, Range: `bytes=${progress.offset}-${end}` } });
  } catch (error) {
    throw new RetryableDownloadError(`Zoom download failed: ${error instanceof Error ? error.message : "network error"}`);
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    if (access.via === "webhook") {
      progress.avoid_webhook_token = true; // expired webhook token: resolve through the API next time
      throw new RetryableDownloadError("The webhook download token expired; switching to the API", 0);
    }
    // An API token is fetched afresh on every attempt, so retry at once (still counted).
    throw new RetryableDownloadError("Zoom refused the download token", 0);
  }
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    throw new RetryableDownloadError(`Zoom answered ${response.status}`, parseRetryAfter(response.headers.get("Retry-After")));
  }
  if (response.status !== 206 && !(response.status === 200 && progress.offset === 0)) {
    await response.body?.cancel();
    throw new PermanentDownloadError(`Zoom answered ${response.status} to a ranged download`);
  }
  if ((response.headers.get("Content-Type") ?? "").includes("text/html")) {
    await response.body?.cancel();
    throw new PermanentDownloadError("Zoom sent an HTML page instead of the recording");
  }
  const range = /bytes (\d+)-(\d+)\/(\d+)/.exec(response.headers.get("Content-Range") ?? "");
  if (response.status === 206 && (!range || Number(range[1]) !== progress.offset || Number(range[3]) !== total)) {
    await response.body?.cancel();
    throw new PermanentDownloadError(`Size mismatch: Zoom listed ${total} bytes, the download reports ${response.headers.get("Content-Range")}`);
  }
  if (!response.body) throw new RetryableDownloadError("Zoom sent no body");
  const multipart = ctx.env.MEDIA.resumeMultipartUpload(progress.key!, progress.upload_id);
  const reader = response.body.getReader();
  const splitter = new ByteSplitter(reader);
  const tenant = forTenant(ctx.db, recording.userId);
  try {
    while (progress.offset <= end) {
      const size = Math.min(partSize, total - progress.offset);
      const partNumber = progress.offset / partSize + 1;
      const part = await pipeFixedLength(splitter.next(size), size, (readable) => multipart.uploadPart(partNumber, readable));
      progress.parts = [...progress.parts.filter((p) => p.partNumber !== partNumber), { partNumber, etag: part.etag }];
      progress.offset += size;
      await tenant.stages.progress(recording.id, "DOWNLOAD", progress, ctx.clock.now(), false);
    }
  } catch (error) {
    throw new RetryableDownloadError(`The download broke off after ${progress.offset} of ${total} bytes: ${error instanceof Error ? error.message : "error"}`);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return progress.offset >= total;
}

async function completeDownload(ctx: ServiceContext, recording: RecordingRow, progress: Progress): Promise<void> {
  const tenant = forTenant(ctx.db, recording.userId);
  const parts = [...(progress.parts ?? [])].sort((a, b) => a.partNumber - b.partNumber);
  const object = await ctx.env.MEDIA.resumeMultipartUpload(progress.key!, progress.upload_id!).complete(parts);
  if (object.size !== progress.total) {
    await ctx.env.MEDIA.delete(progress.key!);
    throw new PermanentDownloadError(`The copy has ${object.size} bytes, Zoom listed ${progress.total}`);
  }
  const now = ctx.clock.now();
  const updated = await tenant.recordings.update(
    recording.id,
    { status: "DOWNLOADED", sourceObjectKey: progress.key!, videoFileSize: object.size, failed: false, failedReason: null, failedAtStage: null, updatedAt: now },
    eq(recordings.status, "DOWNLOADING"),
  );
  await tenant.stages.finish(recording.id, "DOWNLOAD", { status: "COMPLETED" }, { ...progress, bytes: object.size }, now);
  await recordStoredBytes(ctx, recording.userId, object.size);
  await releaseRunSlot(ctx, recording.userId, downloadRunKey(recording.id));
  log.info("download completed", { recordingId: recording.id, bytes: object.size, parts: parts.length });
  if (updated && progress.file_id) {
    // Zoom's copy goes only after ours is verified; a failure here never undoes the download.
    await deleteFromZoomAfterCopy(ctx, recording.userId, recording.id, { zoomFileId: progress.file_id, bytes: object.size }).catch((error: unknown) =>
      log.warn("delete from Zoom after copy failed", { recordingId: recording.id, error }),
    );
  }
}

/** The dead-letter path: a download whose messages were exhausted is failed, never left "in progress". */
export async function abandonDownload(ctx: ServiceContext, userId: string, recordingId: number, reason: string): Promise<void> {
  const tenant = forTenant(ctx.db, userId);
  const recording = await tenant.recordings.get(recordingId);
  const stage = await tenant.stages.get(recordingId, "DOWNLOAD");
  if (!recording || !stage || stage.status === "COMPLETED" || stage.status === "FAILED") return;
  await handleFailure(ctx, recording, { ...(stage.stageMeta ?? {}) }, MAX_DOWNLOAD_ATTEMPTS, new PermanentDownloadError(reason));
}

async function handleFailure(ctx: ServiceContext, recording: RecordingRow, progress: Progress, attempt: number, error: unknown): Promise<void> {
  const tenant = forTenant(ctx.db, recording.userId);
  const now = ctx.clock.now();
  const retryable =
    error instanceof RetryableDownloadError || (error instanceof ZoomApiError && error.retryable) || !(error instanceof PermanentDownloadError || error instanceof ZoomApiError);
  const message = error instanceof Error ? error.message : "download failed";
  progress.last_error = message;
  if (retryable && attempt < MAX_DOWNLOAD_ATTEMPTS) {
    const hinted = error instanceof RetryableDownloadError ? error.retryAfterSeconds : error instanceof ZoomApiError ? error.retryAfterSeconds : null;
    const delaySeconds = hinted ?? retryDelaySeconds(attempt, Math.random, ctx.config.PIPELINE_RETRY_BASE_SECONDS);
    const next = await tenant.stages.progress(recording.id, "DOWNLOAD", progress, now, true, true);
    if (next === "PENDING") await enqueue(ctx.env, { type: "stage.download", userId: recording.userId, recordingId: recording.id }, delaySeconds);
    log.warn("download step failed; will retry", { recordingId: recording.id, attempt, delaySeconds, reason: message });
    return;
  }
  const reason = retryable ? `Gave up after ${attempt} attempts: ${message}` : message;
  if (progress.upload_id && progress.key) {
    await ctx.env.MEDIA.resumeMultipartUpload(progress.key, progress.upload_id).abort().catch(() => undefined);
  }
  await tenant.stages.finish(recording.id, "DOWNLOAD", { status: "FAILED", reason }, progress, now);
  await releaseRunSlot(ctx, recording.userId, downloadRunKey(recording.id));
  // Roll back to the last stable state (§4.3): the recording can be retried from INITIALIZED.
  await tenant.recordings.update(
    recording.id,
    { status: "INITIALIZED", failed: true, failedAt: now, failedReason: reason.slice(0, 1000), failedAtStage: "DOWNLOAD", updatedAt: now },
    eq(recordings.status, "DOWNLOADING"),
  );
  log.error("download failed", { recordingId: recording.id, attempt, reason });
}
