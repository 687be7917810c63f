import { and, eq } from "drizzle-orm";
import { forTenant } from "../../db/repositories/tenant";
import { ZoomRepository } from "../../db/repositories/zoom.repository";
import { recordingFiles, sourceMetadata } from "../../db/schema";
import { ZoomApiError } from "../../integrations/zoom/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { zoomClientFor } from "./zoom-client-factory";

export type DeleteFromZoomOutcome = "trashed" | "not_enabled" | "not_zoom" | "size_mismatch" | "already_gone";

/**
 * Opt-in per source (`config.delete_from_zoom_after_copy`): moves the meeting's recordings to
 * Zoom's trash, but only once our copy is verified — its byte size equals what Zoom reported for
 * the file (Zoom's listings carry no checksum to compare). The download stage calls this after
 * a verified copy.
 */
export async function deleteFromZoomAfterCopy(
  ctx: ServiceContext,
  userId: string,
  recordingId: number,
  copy: { zoomFileId: string; bytes: number },
): Promise<DeleteFromZoomOutcome> {
  const tenant = forTenant(ctx.db, userId);
  const recording = await tenant.recordings.get(recordingId);
  if (!recording?.inputSourceId) return "not_zoom";
  const source = await tenant.sources.get(recording.inputSourceId);
  if (source?.sourceType !== "ZOOM" || source.credentialId === null) return "not_zoom";
  if (source.config?.delete_from_zoom_after_copy !== true) return "not_enabled";
  const [meta, file] = await ctx.db.batch([
    ctx.db.select().from(sourceMetadata).where(and(eq(sourceMetadata.recordingId, recordingId), eq(sourceMetadata.userId, userId))),
    ctx.db
      .select()
      .from(recordingFiles)
      .where(and(eq(recordingFiles.recordingId, recordingId), eq(recordingFiles.userId, userId), eq(recordingFiles.zoomFileId, copy.zoomFileId))),
  ]);
  const zoomSize = file[0]?.fileSize;
  if (!meta[0] || zoomSize == null || zoomSize !== copy.bytes) {
    log.warn("not deleting from Zoom: copy not verified", { recordingId, zoomSize, copied: copy.bytes });
    return "size_mismatch";
  }
  const credential = await tenant.credentials.get(source.credentialId);
  if (!credential) return "not_zoom";
  const client = await zoomClientFor(ctx, credential);
  try {
    await client.deleteMeetingRecordings(meta[0].sourceKey, "trash");
  } catch (error) {
    if (error instanceof ZoomApiError && (error.kind === "not_found" || error.kind === "still_processing")) return "already_gone";
    throw error;
  }
  const now = ctx.clock.now();
  await new ZoomRepository(ctx.db, userId).mergeSourceMetadata(recordingId, { zoom_state: "trashed_by_us", zoom_state_at: now.toISOString() }, now);
  log.info("zoom recording trashed after verified copy", { recordingId, bytes: copy.bytes });
  return "trashed";
}
