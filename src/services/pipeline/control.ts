import type { AuthContext } from "../../app-types";
import { forTenant } from "../../db/repositories/tenant";
import { enqueue } from "../../jobs/messages";
import { conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";

/** Pauses a recording's running download: it stops after the chunk in flight, progress kept. */
export async function pauseDownload(ctx: ServiceContext, auth: AuthContext, recordingId: number) {
  const tenant = forTenant(ctx.db, auth.userId);
  if (!(await tenant.recordings.get(recordingId))) throw notFound("Recording");
  if (!(await tenant.stages.requestPause(recordingId, "DOWNLOAD", ctx.clock.now()))) throw conflict("No download is running for this recording");
  return tenant.stages.get(recordingId, "DOWNLOAD");
}

/** Resumes a paused download from its persisted offset (finished parts are not fetched again). */
export async function resumeDownload(ctx: ServiceContext, auth: AuthContext, recordingId: number) {
  const tenant = forTenant(ctx.db, auth.userId);
  if (!(await tenant.recordings.get(recordingId))) throw notFound("Recording");
  const outcome = await tenant.stages.resume(recordingId, "DOWNLOAD", ctx.clock.now());
  if (!outcome) throw conflict("No paused download for this recording");
  if (outcome === "resumed") await enqueue(ctx.env, { type: "stage.download", userId: auth.userId, recordingId });
  return tenant.stages.get(recordingId, "DOWNLOAD");
}
