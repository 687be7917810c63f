import type { AuthContext } from "../../app-types";
import type { UploadSessionRow } from "../../db/repositories/upload-sessions.repository";
import { forTenant } from "../../db/repositories/tenant";
import { AppError, badRequest, conflict, notFound } from "../../lib/errors";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import { storageKeys } from "../../lib/storage-keys";
import { IncompleteBodyError, pipeFixedLength } from "../../lib/streams";
import { CONTAINER_EXTENSIONS, type ContainerKind } from "../../media/sniff";
import type { ServiceContext } from "../context";
import { requireStorage } from "../quotas/quota.service";
import { createUploadRecording, markUploaded, sniffBody, unsupportedMedia } from "./upload.service";

const MiB = 1024 * 1024;
export const MIN_PART_SIZE = 5 * MiB; // R2: every part but the last is at least 5 MiB, all equal
export const MAX_PART_SIZE = 95 * MiB; // stays under the 100 MB request-body limit of Workers
export const DEFAULT_PART_SIZE = 16 * MiB;
export const MAX_PARTS = 10_000;

export const DECLARED_KINDS: Record<string, ContainerKind> = {
  "video/mp4": "mp4",
  "audio/mp4": "m4a",
  "audio/x-m4a": "m4a",
  "video/quicktime": "mov",
  "video/webm": "webm",
};

/** What a client needs to check a file before it starts a session (the same rules createUploadSession applies). */
export function uploadLimits(ctx: ServiceContext) {
  const contentTypes = Object.keys(DECLARED_KINDS);
  const extensions = [...new Set(Object.values(DECLARED_KINDS).map((kind) => CONTAINER_EXTENSIONS[kind]))];
  return {
    maxSize: ctx.config.MAX_UPLOAD_BYTES,
    minPartSize: MIN_PART_SIZE,
    maxPartSize: MAX_PART_SIZE,
    defaultPartSize: DEFAULT_PART_SIZE,
    maxParts: MAX_PARTS,
    contentTypes,
    extensions,
  };
}

export function partCount(session: Pick<UploadSessionRow, "totalSize" | "partSize">): number {
  return Math.ceil(session.totalSize / session.partSize);
}

export function expectedPartSize(session: Pick<UploadSessionRow, "totalSize" | "partSize">, partNumber: number): number {
  const count = partCount(session);
  return partNumber < count ? session.partSize : session.totalSize - session.partSize * (count - 1);
}

export async function createUploadSession(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { displayName: string; filename: string | null; size: number; contentType: string; partSize?: number },
) {
  const kind = DECLARED_KINDS[input.contentType];
  if (!kind) throw unsupportedMedia();
  if (input.size > ctx.config.MAX_UPLOAD_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `Files are limited to ${ctx.config.MAX_UPLOAD_BYTES} bytes`);
  }
  const partSize = Math.max(input.partSize ?? DEFAULT_PART_SIZE, Math.ceil(input.size / MAX_PARTS));
  if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
    throw badRequest(`part_size must be between ${MIN_PART_SIZE} and ${MAX_PART_SIZE} bytes`);
  }
  await requireStorage(ctx, auth.userId, input.size);
  const tenant = forTenant(ctx.db, auth.userId);
  const id = ulid();
  const recording = await createUploadRecording(ctx, tenant, {
    displayName: input.displayName,
    filename: input.filename,
    uploadKey: `upload:${id}`,
  });
  const key = storageKeys.recordingSource(auth.userId, recording.id, CONTAINER_EXTENSIONS[kind]);
  const multipart = await ctx.env.MEDIA.createMultipartUpload(key, { httpMetadata: { contentType: input.contentType } });
  const now = ctx.clock.now();
  return tenant.uploads.insert({
    id,
    recordingId: recording.id,
    displayName: input.displayName,
    filename: input.filename,
    contentType: input.contentType,
    objectKey: key,
    r2UploadId: multipart.uploadId,
    totalSize: input.size,
    partSize,
    parts: {},
    createdAt: now,
    updatedAt: now,
  });
}

export async function getUploadSession(ctx: ServiceContext, auth: AuthContext, id: string): Promise<UploadSessionRow> {
  const session = await forTenant(ctx.db, auth.userId).uploads.get(id);
  if (!session) throw notFound("Upload");
  return session;
}

function requireOpen(session: UploadSessionRow): void {
  if (session.status !== "uploading") throw conflict(`Upload is already ${session.status}`);
}

/**
 * Streams one part into R2. Re-sending a part replaces it (resume after a dropped connection).
 * The first part is checked by its magic bytes against the declared content type.
 */
export async function uploadPart(
  ctx: ServiceContext,
  auth: AuthContext,
  id: string,
  input: { partNumber: number; body: ReadableStream<Uint8Array>; contentLength: number },
) {
  const session = await getUploadSession(ctx, auth, id);
  requireOpen(session);
  const count = partCount(session);
  if (input.partNumber < 1 || input.partNumber > count) throw badRequest(`part_number must be between 1 and ${count}`);
  const expected = expectedPartSize(session, input.partNumber);
  if (input.contentLength !== expected) {
    throw badRequest(`Part ${input.partNumber} must be exactly ${expected} bytes (Content-Length was ${input.contentLength})`);
  }
  let body = input.body;
  if (input.partNumber === 1) {
    const sniffed = await sniffBody(body);
    const declared = DECLARED_KINDS[session.contentType];
    const compatible = sniffed.kind === declared || (declared !== "webm" && sniffed.kind !== "webm");
    if (!compatible) {
      await sniffed.stream.cancel();
      throw unsupportedMedia();
    }
    body = sniffed.stream;
  }
  const multipart = ctx.env.MEDIA.resumeMultipartUpload(session.objectKey, session.r2UploadId);
  try {
    const part = await pipeFixedLength(body, expected, (readable) => multipart.uploadPart(input.partNumber, readable));
    await forTenant(ctx.db, auth.userId).uploads.recordPart(id, input.partNumber, part.etag, expected, ctx.clock.now());
    return { partNumber: input.partNumber, etag: part.etag, size: expected };
  } catch (error) {
    if (error instanceof IncompleteBodyError) throw badRequest(`Part ${input.partNumber} did not arrive completely; send it again`);
    throw error;
  }
}

export async function completeUploadSession(ctx: ServiceContext, auth: AuthContext, id: string) {
  const tenant = forTenant(ctx.db, auth.userId);
  const session = await getUploadSession(ctx, auth, id);
  requireOpen(session);
  const count = partCount(session);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !session.parts[String(n)]);
  if (missing.length > 0) throw badRequest(`Parts still missing: ${missing.slice(0, 20).join(", ")}`, { missing_parts: missing });
  const multipart = ctx.env.MEDIA.resumeMultipartUpload(session.objectKey, session.r2UploadId);
  const parts = Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, etag: session.parts[String(i + 1)]?.etag ?? "" }));
  const object = await multipart.complete(parts);
  if (object.size !== session.totalSize) {
    await ctx.env.MEDIA.delete(session.objectKey);
    throw badRequest(`Assembled file has ${object.size} bytes, expected ${session.totalSize}`);
  }
  if (!(await tenant.uploads.finish(id, "completed", ctx.clock.now()))) throw conflict("Upload was completed or aborted meanwhile");
  if (session.recordingId === null) throw notFound("Recording");
  const recording = await markUploaded(ctx, tenant, session.recordingId, session.objectKey, object.size);
  log.info("upload completed", { recordingId: recording.id, bytes: object.size, parts: count });
  return recording;
}

/** Cancels an upload: the R2 parts are discarded and the placeholder recording removed. */
export async function abortUploadSession(ctx: ServiceContext, auth: AuthContext, id: string): Promise<void> {
  const tenant = forTenant(ctx.db, auth.userId);
  const session = await getUploadSession(ctx, auth, id);
  requireOpen(session);
  if (!(await tenant.uploads.finish(id, "aborted", ctx.clock.now()))) throw conflict("Upload was completed or aborted meanwhile");
  await ctx.env.MEDIA.resumeMultipartUpload(session.objectKey, session.r2UploadId).abort();
  if (session.recordingId !== null) await tenant.recordings.deletePlaceholder(session.recordingId);
}
