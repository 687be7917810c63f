import type { AuthContext } from "../../app-types";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import { forTenant, type TenantRepositories } from "../../db/repositories/tenant";
import { AppError, badRequest } from "../../lib/errors";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import { storageKeys } from "../../lib/storage-keys";
import { IncompleteBodyError, peekStream, pipeFixedLength } from "../../lib/streams";
import { CONTAINER_EXTENSIONS, CONTAINER_MIME, SNIFF_BYTES, sniffContainer } from "../../media/sniff";
import { effectiveUserConfig } from "../config/resolve";
import type { ServiceContext } from "../context";
import { findMatchingTemplate } from "../templates/matcher";
import { toMatchable } from "../templates/rematch";
import { periodOf, releaseMonthly, requireRecordingQuota, requireStorage } from "../quotas/quota.service";
import { recordStoredBytes } from "../quotas/run-slots";
import { expiryFor } from "./retention-dates";
import { requestIndexUpdate } from "../search/index-sync";

export const unsupportedMedia = () =>
  new AppError("UNSUPPORTED_MEDIA_TYPE", "The file is not an MP4, M4A, MOV or WebM video (checked by its first bytes)");

export async function sniffBody(body: ReadableStream<Uint8Array>) {
  const { head, stream } = await peekStream(body, SNIFF_BYTES);
  const kind = sniffContainer(head);
  if (!kind) {
    await stream.cancel();
    throw unsupportedMedia();
  }
  return { kind, stream };
}

/** Creates the recording row (source LOCAL) that an upload fills; it stays PENDING_SOURCE until the bytes are in. */
export async function createUploadRecording(
  ctx: ServiceContext,
  tenant: TenantRepositories,
  input: { displayName: string; filename: string | null; uploadKey: string },
): Promise<RecordingRow> {
  const now = ctx.clock.now();
  const config = effectiveUserConfig((await tenant.config.getOrCreate(now)).configData);
  const templates = (await tenant.templates.listMatchable()).map(toMatchable);
  const match = findMatchingTemplate({ displayName: input.displayName, inputSourceId: null }, templates);
  // Recordings per month (§8.4): taken before the row exists, given back if the insert fails.
  const { period } = await requireRecordingQuota(ctx, tenant.userId);
  const created = await tenant.recordings.insertWithSource(
    {
      displayName: input.displayName,
      startTime: now,
      duration: 0,
      status: "PENDING_SOURCE",
      isMapped: match !== null,
      templateId: match?.id ?? null,
      expireAt: expiryFor(config, now),
      createdAt: now,
      updatedAt: now,
    },
    {
      sourceType: "LOCAL",
      sourceKey: input.uploadKey,
      metadata: { uploaded_via_api: true, original_filename: input.filename },
      createdAt: now,
      updatedAt: now,
    },
  ).catch(async (error: unknown) => {
    await releaseMonthly(ctx, tenant.userId, "recordings", period);
    throw error;
  });
  await requestIndexUpdate(ctx, tenant.userId, created.id);
  return created;
}

/** Marks an upload's recording as holding its verified source object. */
export async function markUploaded(ctx: ServiceContext, tenant: TenantRepositories, recordingId: number, key: string, size: number) {
  const updated = await tenant.recordings.update(recordingId, {
    status: "DOWNLOADED",
    sourceObjectKey: key,
    videoFileSize: size,
    updatedAt: ctx.clock.now(),
  });
  if (!updated) throw new Error(`recording ${recordingId} vanished during upload`);
  await recordStoredBytes(ctx, tenant.userId, size);
  return updated;
}

/**
 * A file sent as the request body: checked by its first bytes, then streamed into R2 through a
 * FixedLengthStream (R2 needs the length; the Worker never holds more than a chunk).
 */
export async function uploadDirect(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { displayName: string; filename: string | null; body: ReadableStream<Uint8Array>; contentLength: number },
): Promise<RecordingRow> {
  if (input.contentLength > ctx.config.MAX_DIRECT_UPLOAD_BYTES) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `Files over ${ctx.config.MAX_DIRECT_UPLOAD_BYTES} bytes must use an upload session (POST /api/v1/recordings/uploads)`,
    );
  }
  if (input.contentLength <= 0) throw badRequest("The uploaded file is empty");
  await requireStorage(ctx, auth.userId, input.contentLength);
  const { kind, stream } = await sniffBody(input.body);
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await createUploadRecording(ctx, tenant, {
    displayName: input.displayName,
    filename: input.filename,
    uploadKey: `upload:${ulid()}`,
  });
  const key = storageKeys.recordingSource(auth.userId, recording.id, CONTAINER_EXTENSIONS[kind]);
  try {
    const object = await pipeFixedLength(stream, input.contentLength, (readable) =>
      ctx.env.MEDIA.put(key, readable, { httpMetadata: { contentType: CONTAINER_MIME[kind] } }),
    );
    if (!object || object.size !== input.contentLength) throw badRequest("The upload was truncated");
    return await markUploaded(ctx, tenant, recording.id, key, object.size);
  } catch (error) {
    // Nothing half-stored: the placeholder recording and any partial object go together.
    await ctx.env.MEDIA.delete(key).catch(() => undefined);
    await tenant.recordings.deletePlaceholder(recording.id);
    await releaseMonthly(ctx, auth.userId, "recordings", periodOf(recording.createdAt)).catch(() => undefined);
    log.warn("direct upload failed", { recordingId: recording.id, error });
    if (error instanceof IncompleteBodyError) throw badRequest("The upload did not match its Content-Length; please retry");
    throw error;
  }
}
