import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { RunRow } from "../../db/repositories/runs.repository";
import type { ServiceContext } from "../context";
import { emitEvent } from "../webhooks/events.service";
import { notifyByEmail } from "./notify.service";

/**
 * What the pipeline and the services tell the outside world: outbound webhook events (emitEvent)
 * and the e-mail notifications the user asked for (notifyByEmail). Each function is called at the
 * one place its fact becomes true; none of them throws.
 */

const recordingRef = (r: Pick<RecordingRow, "id" | "displayName" | "status">) => ({ recording_id: r.id, display_name: r.displayName, status: r.status });

/** A run ended: `run.completed` for a completed run; a failed run goes into the user's failure e-mail. */
export async function announceRunFinished(ctx: ServiceContext, run: RunRow, recording: Pick<RecordingRow, "displayName"> | undefined) {
  const data = { run_id: run.id, recording_id: run.recordingId, display_name: recording?.displayName ?? null, status: run.status, stages: run.stages, error: run.error };
  if (run.status === "COMPLETED") await emitEvent(ctx, run.userId, "run.completed", data);
  if (run.status === "FAILED") {
    const name = recording?.displayName ?? `recording ${run.recordingId}`;
    await notifyByEmail(ctx, run.userId, "run_failed", `“${name}”: ${run.error ?? "the run failed"}`);
  }
}

/** Every output of the recording is published (status READY). */
export async function announceRecordingReady(ctx: ServiceContext, recording: RecordingRow) {
  await emitEvent(ctx, recording.userId, "recording.ready", recordingRef(recording));
}

/** A stage failed for good (the recording is marked failed and rolled back). */
export async function announceRecordingFailed(ctx: ServiceContext, recording: RecordingRow, runId: string, stage: string, reason: string) {
  await emitEvent(ctx, recording.userId, "recording.failed", { ...recordingRef(recording), run_id: runId, failed_at_stage: stage, reason });
}

/** A video was published on a platform for the first time (re-runs that only finish extras do not repeat it). */
export async function announceOutputPublished(ctx: ServiceContext, recording: RecordingRow, output: { id: number; platform: string; presetId: number | null; url: string | null; videoId: string | null }) {
  await emitEvent(ctx, recording.userId, "output.published", {
    ...recordingRef(recording),
    output_id: output.id,
    platform: output.platform.toLowerCase(),
    preset_id: output.presetId,
    url: output.url,
    video_id: output.videoId,
  });
}

/** A credential stopped working and must be reconnected by the user. */
export async function announceCredentialNeedsReauth(ctx: ServiceContext, userId: string, credential: { id: number; platform: string; name?: string | null }, reason: string | null) {
  await emitEvent(ctx, userId, "credential.needs_reauth", { credential_id: credential.id, platform: credential.platform, reason });
  await notifyByEmail(
    ctx,
    userId,
    "credential_needs_reauth",
    `${credential.platform} connection ${credential.name ? `“${credential.name}” ` : ""}(id ${credential.id}) needs to be reconnected${reason ? `: ${reason}` : ""}`,
    `credential:${credential.id}`,
  );
}

/** A request or a recording was refused, or a recording kept uncounted, because a quota is used up. */
export async function announceQuotaExceeded(ctx: ServiceContext, userId: string, quota: { name: string; limit: number | null; used: number; requested: number }) {
  await emitEvent(ctx, userId, "quota.exceeded", { quota: quota.name, limit: quota.limit, used: quota.used, requested: quota.requested });
}

/**
 * Usage moved: when it crosses QUOTA_NEARLY_USED_PERCENT of the limit, the user is told once per
 * quota and period (the dedupe key keeps one pending line; the crossing happens once a period).
 */
export async function announceQuotaUsage(ctx: ServiceContext, userId: string, quota: { name: string; period: string; limit: number | null; before: number; after: number }) {
  if (quota.limit === null || quota.limit <= 0) return;
  const threshold = (quota.limit * ctx.config.QUOTA_NEARLY_USED_PERCENT) / 100;
  if (quota.before >= threshold || quota.after < threshold) return;
  await notifyByEmail(
    ctx,
    userId,
    "quota_nearly_used",
    `${quota.name.replaceAll("_", " ")}: ${quota.after} of ${quota.limit} used (${Math.floor((quota.after / quota.limit) * 100)}%)`,
    `quota:${quota.name}:${quota.period}`,
  );
}
