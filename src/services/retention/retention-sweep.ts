import { RetentionRepository, type RecordingRef } from "../../db/repositories/retention.repository";
import { forTenant } from "../../db/repositories/tenant";
import { log } from "../../lib/logger";
import { storageKeys } from "../../lib/storage-keys";
import { effectiveUserConfig } from "../config/resolve";
import type { ServiceContext } from "../context";
import { recordStoredBytes } from "../quotas/run-slots";
import { softDeleteSchedule } from "../recordings/retention-dates";
import { deleteObjectsUnder } from "./object-cleanup";
import { requestIndexUpdate } from "../search/index-sync";

const HOUR_MS = 3_600_000;
/** Upload sessions idle this long are abandoned (R2 would keep their parts for a week). */
export const ABANDONED_UPLOAD_MS = 24 * HOUR_MS;

/** Default batch sizes: each sweep is bounded per invocation and continues on the next tick. */
export const SWEEP_LIMITS = { expire: 200, cleanup: 25, hardDelete: 25, uploads: 50 };

/** The file cleanup keeps what is small and still shown (transcript, topics, subtitles) until the hard delete (§9). */
const keptUntilHardDelete = (root: string) => (key: string) => key.startsWith(`${root}transcript/`) || key.startsWith(`${root}subtitles/`);

/** Expires active recordings past `expire_at` (the owner's `retention` schedule applies). */
export async function expireRecordings(ctx: ServiceContext, limit = SWEEP_LIMITS.expire): Promise<number> {
  const repo = new RetentionRepository(ctx.db);
  const now = ctx.clock.now();
  const configs = new Map<string, ReturnType<typeof effectiveUserConfig>>();
  let expired = 0;
  for (const r of await repo.dueForExpiry(now, limit)) {
    let config = configs.get(r.userId);
    if (!config) {
      config = effectiveUserConfig((await forTenant(ctx.db, r.userId).config.getOrCreate(now)).configData);
      configs.set(r.userId, config);
    }
    if (await repo.expire(r, softDeleteSchedule(config, now), now)) expired++;
  }
  return expired;
}

/**
 * Second level for one recording: claims it (soft → hard, so a restore cannot race), deletes its
 * media objects, subtracts exactly the bytes deleted, then clears the row's pointers. Every step
 * is safe to repeat: an interrupted cleanup is picked up again ('hard' with pointers left), and
 * its rerun lists only the objects still there.
 */
export async function cleanupRecordingFiles(ctx: ServiceContext, r: RecordingRef, maxPages = 5) {
  const repo = new RetentionRepository(ctx.db);
  const now = ctx.clock.now();
  if (!(await repo.claimCleanup(r, now))) return { claimed: false, objects: 0, bytes: 0, complete: true };
  const root = storageKeys.recordingRoot(r.userId, r.id);
  const result = await deleteObjectsUnder(ctx, root, { keep: keptUntilHardDelete(root), maxPages });
  if (result.bytes > 0) await recordStoredBytes(ctx, r.userId, -result.bytes);
  if (result.complete) await repo.markFilesCleaned(r, now);
  return { claimed: true, ...result };
}

export async function cleanupDeletedFiles(ctx: ServiceContext, limit = SWEEP_LIMITS.cleanup) {
  const totals = { recordings: 0, objects: 0, bytes: 0 };
  for (const r of await new RetentionRepository(ctx.db).dueForCleanup(ctx.clock.now(), limit)) {
    const result = await cleanupRecordingFiles(ctx, r);
    if (result.claimed && result.complete) totals.recordings++;
    totals.objects += result.objects;
    totals.bytes += result.bytes;
  }
  return totals;
}

/**
 * Final level: every object of the recording goes first (quota down by what was deleted), then the
 * row goes and a tombstone stays. If the objects cannot all be deleted this tick, the row stays
 * (it is what lets the next sweep find them).
 */
export async function hardDeleteRecording(ctx: ServiceContext, r: RecordingRef, maxPages = 5) {
  // A backlog may leave a row 'soft' past its hard-delete time: claim it first, as the cleanup does.
  if (!(await new RetentionRepository(ctx.db).claimCleanup(r, ctx.clock.now()))) return { deleted: false, objects: 0, bytes: 0 };
  const result = await deleteObjectsUnder(ctx, storageKeys.recordingRoot(r.userId, r.id), { maxPages });
  if (result.bytes > 0) await recordStoredBytes(ctx, r.userId, -result.bytes);
  const deleted = result.complete && (await new RetentionRepository(ctx.db).hardDelete(r, ctx.clock.now()));
  if (deleted) await requestIndexUpdate(ctx, r.userId, r.id);
  return { deleted, objects: result.objects, bytes: result.bytes };
}

export async function hardDeleteRecordings(ctx: ServiceContext, limit = SWEEP_LIMITS.hardDelete) {
  const totals = { recordings: 0, objects: 0, bytes: 0 };
  for (const r of await new RetentionRepository(ctx.db).dueForHardDelete(ctx.clock.now(), limit)) {
    const result = await hardDeleteRecording(ctx, r);
    if (result.deleted) totals.recordings++;
    totals.objects += result.objects;
    totals.bytes += result.bytes;
  }
  return totals;
}

/**
 * Upload sessions still 'uploading' after 24 h: the R2 multipart upload is aborted (its parts are
 * never counted as stored bytes) and the placeholder recording removed. The CAS out of
 * 'uploading' makes a racing completion win or lose cleanly.
 */
export async function abortAbandonedUploads(ctx: ServiceContext, limit = SWEEP_LIMITS.uploads): Promise<number> {
  const now = ctx.clock.now();
  let aborted = 0;
  for (const { id, userId } of await new RetentionRepository(ctx.db).abandonedUploads(new Date(now.getTime() - ABANDONED_UPLOAD_MS), limit)) {
    const tenant = forTenant(ctx.db, userId);
    const session = await tenant.uploads.get(id);
    if (!session || !(await tenant.uploads.finish(id, "aborted", now))) continue;
    try {
      await ctx.env.MEDIA.resumeMultipartUpload(session.objectKey, session.r2UploadId).abort();
    } catch (error) {
      // R2 may have expired the upload already; the session is closed either way.
      log.warn("aborting an abandoned multipart upload failed", { uploadId: id, error });
    }
    if (session.recordingId !== null) await tenant.recordings.deletePlaceholder(session.recordingId);
    aborted++;
  }
  return aborted;
}

/** The hourly retention sweeps, in lifecycle order, each bounded; logged with counts. */
export async function runRetentionSweeps(ctx: ServiceContext) {
  const expired = await expireRecordings(ctx);
  const cleaned = await cleanupDeletedFiles(ctx);
  const hardDeleted = await hardDeleteRecordings(ctx);
  const abortedUploads = await abortAbandonedUploads(ctx);
  const summary = {
    expired,
    filesCleaned: cleaned.recordings,
    cleanedObjects: cleaned.objects,
    cleanedBytes: cleaned.bytes,
    hardDeleted: hardDeleted.recordings,
    hardDeletedObjects: hardDeleted.objects,
    hardDeletedBytes: hardDeleted.bytes,
    abortedUploads,
  };
  log.info("retention sweep done", summary);
  return summary;
}
