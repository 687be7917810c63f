import { eq } from "drizzle-orm";
import type { AuthContext } from "../../app-types";
import { forTenant } from "../../db/repositories/tenant";
import { recordings } from "../../db/schema";
import { enqueue } from "../../jobs/messages";
import { badRequest, conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { downloadRunKey, reserveRunSlot } from "../quotas/run-slots";

/**
 * Starts the download stage of a Zoom recording. The status moves INITIALIZED → DOWNLOADING by
 * compare-and-set, so two requests at once start one download; a failed download (rolled back
 * to INITIALIZED with `failed` set) can simply be requested again.
 */
export async function requestDownload(ctx: ServiceContext, auth: AuthContext, recordingId: number) {
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await tenant.recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  if (recording.deleted) throw badRequest("Recording is deleted; restore it first");
  if (recording.status !== "INITIALIZED") {
    throw conflict(`Recording is ${recording.status}; a download starts from INITIALIZED`, { status: recording.status });
  }
  await reserveRunSlot(ctx, auth.userId, downloadRunKey(recordingId));
  const now = ctx.clock.now();
  const claimed = await tenant.recordings.update(
    recordingId,
    { status: "DOWNLOADING", failed: false, failedReason: null, failedAtStage: null, updatedAt: now },
    eq(recordings.status, "INITIALIZED"),
  );
  if (!claimed) {
    // The other request won the race and owns the slot under the same key: nothing to release.
    throw conflict("A download of this recording was just started");
  }
  await tenant.stages.open(recordingId, "DOWNLOAD", now);
  await enqueue(ctx.env, { type: "stage.download", userId: auth.userId, recordingId });
  return claimed;
}
