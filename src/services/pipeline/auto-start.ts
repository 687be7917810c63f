import type { RunRow } from "../../db/repositories/runs.repository";
import { forTenant } from "../../db/repositories/tenant";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { resolveRecordingConfig } from "../recordings/recording-config.service";
import { startRun } from "./runs.service";

/**
 * A Zoom recording starts its run on its own when its resolved configuration says
 * `download.auto_download` (defaults → user → template → recording overrides), exactly once,
 * whichever of the API sync and the webhook sees it ready first: both call this after ingesting,
 * and a compare-and-set on `recordings.auto_started_at` lets one caller through (D1 has no
 * transactions; a read-then-write would let a racing sync and webhook both start). A recording
 * that already had a run (started by hand, or an auto run that failed) is never started again.
 * Reasons not to start are logged, never errors: the sync or webhook itself succeeded.
 */
export async function autoStartRun(ctx: ServiceContext, userId: string, recordingId: number, trigger: "webhook" | "sync"): Promise<RunRow | null> {
  const tenant = forTenant(ctx.db, userId);
  const recording = await tenant.recordings.get(recordingId);
  if (recording?.status !== "INITIALIZED" || recording.deleted || recording.autoStartedAt) return null;
  const { effective } = await resolveRecordingConfig(ctx, recording);
  if (!effective.download.auto_download) return null;
  if (!(await tenant.recordings.claimAutoStart(recordingId, ctx.clock.now()))) return null;
  try {
    const run = await startRun(ctx, userId, recordingId, { trigger });
    log.info("run started automatically", { recordingId, runId: run.id, status: run.status, trigger });
    return run;
  } catch (error) {
    // Refused (quota, missing credential, a manual run got there first): the claim is given back,
    // so the next sighting may try again; a recording that has had a run is not claimable anyway.
    await tenant.recordings.releaseAutoStart(recordingId);
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    log.info("run not started automatically", { recordingId, trigger, reason: error.message });
    return null;
  }
}
