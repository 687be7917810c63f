import type { AuthContext } from "../../app-types";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { RunRow } from "../../db/repositories/runs.repository";
import type { StageType } from "../../db/repositories/stages.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { RunTrigger } from "../../db/schema";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { AppError, badRequest, conflict, notFound } from "../../lib/errors";
import { ulid } from "../../lib/ids";
import type { ConfigLayer } from "../config/resolve";
import type { ServiceContext } from "../context";
import { resolveSelection, runBulk, type BulkSelection } from "../recordings/bulk";
import { resolveRecordingConfig } from "../recordings/recording-config.service";
import { remoteFileIds } from "./download-source";
import { cancelHeldStage } from "./engine";
import { enabledStages, planRun, type PlannedStep } from "./plan";
import { missingCredential } from "./preflight";
import { finishRun, stageMessage, startQueuedRun } from "./run-lifecycle";
import { STABLE_STATUSES } from "./stage-flow";
import { quotaExceeded, type QuotaName } from "../quotas/quota.service";
import { admitQuotaBlockedRecording, runQuotaRefusal } from "../quotas/run-quota";

export interface RunOptions {
  trigger: RunTrigger;
  overrides?: ConfigLayer;
  allowSkipped?: boolean;
  /** Restricts the run to these stages (the single-stage endpoints). */
  only?: readonly StageType[];
  /** Download the video again although it is stored (`POST /{id}/download?force=true`). */
  forceDownload?: boolean;
}

export interface RunPreview {
  recording: RecordingRow;
  willRun: boolean;
  /** Why the run cannot start, when it cannot. */
  reason: string | null;
  /** 400 for a deleted recording, 402/429 over quota (see `quota`), 409 for any other state that prevents a run. */
  refusal: 400 | 402 | 409 | 429 | null;
  /** The exceeded quota, when that is why the run cannot start. */
  quota?: { name: QuotaName; limit: number; used: number };
  activeRun: RunRow | null;
  steps: PlannedStep[];
}

/** What a run would do for this recording, and why not when it would not (the dry run, §4.6). */
export async function previewRun(ctx: ServiceContext, recording: RecordingRow, options: RunOptions): Promise<RunPreview> {
  const tenant = forTenant(ctx.db, recording.userId);
  const [resolved, files, activeRun] = await Promise.all([
    resolveRecordingConfig(ctx, recording, options.overrides),
    remoteFileIds(ctx, recording),
    tenant.runs.active(recording.id),
  ]);
  const config = resolved.effective;
  const allowSkipped = options.allowSkipped ?? config.processing.allow_skipped ?? false;
  const steps = planRun({ recording, config, hasRemoteSource: files?.video != null, requested: options.only, forceDownload: options.forceDownload }).map((step) =>
    options.only && !options.only.includes(step.stage) ? { ...step, enabled: false, skip_reason: "Not requested" } : step,
  );
  const refuse = (refusal: NonNullable<RunPreview["refusal"]>, reason: string): RunPreview => ({ recording, willRun: false, reason, refusal, activeRun: activeRun ?? null, steps });
  if (recording.deleted) return refuse(400, "Recording is deleted; restore it first");
  if (activeRun) return refuse(409, `The recording already has an active run (${activeRun.status})`);
  if (recording.blankRecord) return refuse(409, "Blank record (too short or too small)");
  if (recording.status === "PENDING_SOURCE") return refuse(409, "Zoom is still processing this recording");
  if (recording.status === "SKIPPED" && !allowSkipped) {
    return refuse(409, "The recording is SKIPPED (no template matched); pass allow_skipped=true to process it anyway");
  }
  if (!STABLE_STATUSES.has(recording.status)) return refuse(409, `The recording is ${recording.status}`);
  if (enabledStages(steps).length === 0) {
    const asked = options.only?.length === 1 ? steps.find((s) => s.stage === options.only?.[0]) : undefined;
    return refuse(409, asked?.skip_reason ? `Nothing to run: ${asked.name}: ${asked.skip_reason}` : "Nothing to run: every stage is skipped");
  }
  const missing = await missingCredential(ctx, recording.userId, config, enabledStages(steps));
  if (missing) return refuse(409, missing);
  const overQuota = await runQuotaRefusal(ctx, recording.userId, recording.id, enabledStages(steps));
  if (overQuota) return { ...refuse(overQuota.status, overQuota.reason), quota: overQuota.quota };
  return { recording, willRun: true, reason: null, refusal: null, activeRun: null, steps };
}

async function loadRecording(ctx: ServiceContext, userId: string, recordingId: number): Promise<RecordingRow> {
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  return recording;
}

export async function dryRun(ctx: ServiceContext, userId: string, recordingId: number, options: RunOptions) {
  return previewRun(ctx, await loadRecording(ctx, userId, recordingId), options);
}

/**
 * Starts a run: the plan is fixed now, the run is inserted QUEUED (the partial unique index makes
 * a second active run impossible, so two simultaneous requests give one run and one 409), then it
 * starts at once if the user has a free run slot, or waits its turn.
 */
export async function startRun(ctx: ServiceContext, userId: string, recordingId: number, options: RunOptions): Promise<RunRow> {
  const preview = await previewRun(ctx, await loadRecording(ctx, userId, recordingId), options);
  if (!preview.willRun) {
    if (preview.refusal === 400) throw badRequest(preview.reason!);
    if (preview.quota) throw quotaExceeded(ctx, preview.quota.name, preview.quota.limit, preview.quota.used, 0);
    throw conflict(preview.reason!, { task_id: preview.activeRun?.id ?? null, steps: preview.steps });
  }
  await admitQuotaBlockedRecording(ctx, userId, recordingId);
  const now = ctx.clock.now();
  const tenant = forTenant(ctx.db, userId);
  const run = await tenant.runs.create({
    id: ulid(now.getTime()),
    recordingId,
    trigger: options.trigger,
    stages: enabledStages(preview.steps),
    plan: preview.steps,
    overrides: (options.overrides as Record<string, unknown> | undefined) ?? null,
    createdAt: now,
    updatedAt: now,
  });
  if (!run) {
    const active = await tenant.runs.active(recordingId);
    throw conflict("The recording already has an active run", { task_id: active?.id ?? null });
  }
  await startQueuedRun(ctx, run);
  return (await tenant.runs.get(run.id)) ?? run;
}

/** Retries a failed run from the stage that failed, with the same stages after it and the same overrides. */
export async function retryRun(ctx: ServiceContext, userId: string, recordingId: number): Promise<RunRow> {
  const tenant = forTenant(ctx.db, userId);
  const recording = await loadRecording(ctx, userId, recordingId);
  const [latest] = await tenant.runs.listForRecording(recordingId, 1);
  if (!recording.failed || latest?.status !== "FAILED" || !latest.currentStage) {
    throw conflict("Only a failed run can be retried; start a new one with process");
  }
  const from = Math.max(0, latest.stages.indexOf(latest.currentStage));
  const stages = latest.stages.slice(from) as StageType[];
  const overrides = (latest.overrides ?? undefined) as ConfigLayer | undefined;
  // A download left to retry while a video is stored was a forced one (an unforced download never starts then).
  const forceDownload = stages.includes("DOWNLOAD");
  const run = await startRun(ctx, userId, recordingId, { trigger: "retry", overrides, allowSkipped: true, only: stages, forceDownload });
  await tenant.recordings.update(recordingId, { retryCount: recording.retryCount + 1 });
  return run;
}

async function activeRunOf(ctx: ServiceContext, userId: string, recordingId: number): Promise<RunRow> {
  await loadRecording(ctx, userId, recordingId);
  const run = await forTenant(ctx.db, userId).runs.active(recordingId);
  if (!run) throw conflict("The recording has no active run");
  return run;
}

/** Pause: a waiting stage pauses at once; a running one after its current chunk; between stages, before the next. */
export async function pauseRun(ctx: ServiceContext, userId: string, recordingId: number): Promise<RunRow> {
  const tenant = forTenant(ctx.db, userId);
  const run = await activeRunOf(ctx, userId, recordingId);
  const now = ctx.clock.now();
  if (run.status === "QUEUED") throw conflict("The run has not started yet; cancel it instead");
  const requested = await tenant.runs.transition(run.id, ["RUNNING", "PAUSED"], { pauseRequestedAt: run.pauseRequestedAt ?? now, updatedAt: now });
  if (!requested) throw conflict("The run has just ended");
  if (run.currentStage) {
    await tenant.stages.requestPause(recordingId, run.currentStage as StageType, now);
    const stage = await tenant.stages.get(recordingId, run.currentStage as StageType);
    if (stage?.status === "PAUSED") await tenant.runs.transition(run.id, ["RUNNING"], { status: "PAUSED", updatedAt: now });
  }
  return (await tenant.runs.get(run.id)) ?? requested;
}

/** Resume: the paused stage continues from its persisted progress (finished parts are not fetched again). */
export async function resumeRun(ctx: ServiceContext, userId: string, recordingId: number): Promise<RunRow> {
  const tenant = forTenant(ctx.db, userId);
  const run = await activeRunOf(ctx, userId, recordingId);
  if (!run.pauseRequestedAt) throw conflict("The run is not paused");
  const now = ctx.clock.now();
  const resumed = await tenant.runs.transition(run.id, ["RUNNING", "PAUSED"], { status: "RUNNING", pauseRequestedAt: null, updatedAt: now });
  if (!resumed) throw conflict("The run has just ended");
  if (run.currentStage && (await tenant.stages.resume(recordingId, run.currentStage as StageType, now)) === "resumed") {
    await enqueue(ctx.env, stageMessage(resumed, run.currentStage as StageType));
  }
  return (await tenant.runs.get(run.id)) ?? resumed;
}

/**
 * Cancel: a queued run ends at once; a waiting or paused stage is cancelled now (partial output
 * discarded, the recording back to its stable status); a running stage stops after its current
 * chunk, where its consumer does the same. A stage that completes meanwhile keeps its output.
 */
export async function cancelRun(ctx: ServiceContext, userId: string, runId: string): Promise<RunRow> {
  const tenant = forTenant(ctx.db, userId);
  const run = await tenant.runs.get(runId);
  if (!run) throw notFound("Task");
  const now = ctx.clock.now();
  const requested = await tenant.runs.transition(run.id, ["QUEUED", "RUNNING", "PAUSED"], { cancelRequestedAt: run.cancelRequestedAt ?? now, updatedAt: now });
  if (!requested) throw new AppError("CONFLICT", `The run has already ended (${run.status})`, { details: { status: run.status } });
  if (requested.status === "QUEUED" || !requested.currentStage) {
    await finishRun(ctx, requested, "CANCELLED");
  } else {
    const stage = await tenant.stages.cancelIfIdle(requested.recordingId, requested.currentStage as StageType, now);
    if (stage && stage.runId === requested.id) {
      await cancelHeldStage(ctx, requested, stage, { ...(stage.stageMeta ?? {}) }, await tenant.recordings.get(requested.recordingId));
    }
  }
  return (await tenant.runs.get(run.id)) ?? requested;
}

export async function cancelActiveRun(ctx: ServiceContext, userId: string, recordingId: number): Promise<RunRow> {
  return cancelRun(ctx, userId, (await activeRunOf(ctx, userId, recordingId)).id);
}

export async function getRun(ctx: ServiceContext, userId: string, runId: string): Promise<RunRow> {
  const run = await forTenant(ctx.db, userId).runs.get(runId);
  if (!run) throw notFound("Task");
  return run;
}

export async function listRuns(ctx: ServiceContext, userId: string, recordingId: number, limit: number): Promise<RunRow[]> {
  await loadRecording(ctx, userId, recordingId);
  return forTenant(ctx.db, userId).runs.listForRecording(recordingId, limit);
}

/** A run with the recording's stage rows, for the run/task views. */
export async function runWithStages(ctx: ServiceContext, run: RunRow) {
  return { run, stages: await forTenant(ctx.db, run.userId).stages.list(run.recordingId) };
}

/**
 * Starts one run per selected recording; each item reports its task id and run status, or why it
 * did not start. `options` may depend on the recording (its configured presets, say).
 */
export async function startRunsInBulk(
  ctx: ServiceContext,
  auth: AuthContext,
  selection: BulkSelection,
  limit: number,
  options: RunOptions | ((recordingId: number) => Promise<RunOptions>),
) {
  return runBulk(ctx, auth, selection, limit, async (id) => {
    const run = await startRun(ctx, auth.userId, id, typeof options === "function" ? await options(id) : options);
    return { status: "done", task_id: run.id, run_status: run.status };
  });
}

/** Bulk dry run (§4.6): per selected recording, whether a run would start and which stages it would execute. */
export async function bulkDryRun(ctx: ServiceContext, userId: string, selection: BulkSelection, limit: number, options: RunOptions) {
  const { ids, missing } = await resolveSelection(ctx, { userId }, selection, limit);
  const tenant = forTenant(ctx.db, userId);
  const recordings = await tenant.recordings.getMany(ids);
  const items: Array<{ recording_id: number; will_be_processed: boolean; skip_reason?: string; display_name?: string; current_status?: string; steps?: string[] }> =
    missing.map((id) => ({ recording_id: id, will_be_processed: false, skip_reason: "Recording not found" }));
  for (const recording of recordings) {
    const preview = await previewRun(ctx, recording, options);
    items.push(
      preview.willRun
        ? { recording_id: recording.id, will_be_processed: true, display_name: recording.displayName, current_status: recording.status, steps: enabledStages(preview.steps) }
        : { recording_id: recording.id, will_be_processed: false, skip_reason: preview.reason!, display_name: recording.displayName, current_status: recording.status },
    );
  }
  const matched = items.filter((i) => i.will_be_processed).length;
  return { dry_run: true as const, total: items.length, matched_count: matched, skipped_count: items.length - matched, recordings: items };
}
