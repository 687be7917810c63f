import { forTenant } from "../../db/repositories/tenant";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { resolveRecordingConfig } from "../recordings/recording-config.service";
import { startRun } from "./runs.service";

/**
 * A recording that arrives by webhook starts its run on its own when its resolved configuration
 * says `download.auto_download` (set per template: `processing_config.download.auto_download`,
 * or for all recordings in the user's config). Reasons not to start (blank, still at Zoom, an
 * active run) are logged, never errors: the webhook itself succeeded.
 */
export async function autoStartRun(ctx: ServiceContext, userId: string, recordingId: number): Promise<string | null> {
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording || recording.status !== "INITIALIZED" || recording.deleted) return null;
  const { effective } = await resolveRecordingConfig(ctx, recording);
  if (!effective.download.auto_download) return null;
  try {
    const run = await startRun(ctx, userId, recordingId, { trigger: "webhook" });
    log.info("run started by webhook", { recordingId, runId: run.id, status: run.status });
    return run.id;
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    log.info("run not started by webhook", { recordingId, reason: error.message });
    return null;
  }
}
