import { eq } from "drizzle-orm";
import type { RecordingPatch, RecordingRow } from "../../db/repositories/recordings.repository";
import type { RunRow } from "../../db/repositories/runs.repository";
import type { StageRow, StageType } from "../../db/repositories/stages.repository";
import { forTenant } from "../../db/repositories/tenant";
import { recordings, type RecordingStatus } from "../../db/schema";
import { retryDelaySeconds } from "../../lib/backoff";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { log, withLogContext } from "../../lib/logger";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import type { ServiceContext } from "../context";
import { announceRecordingFailed, announceRecordingReady } from "../notifications/announcements";
import { enterStage, finishRun, stageMessage } from "./run-lifecycle";
import { classifyStageError } from "./stage-errors";
import type { StageExecutor, StageProgress } from "./stage-executor";
import { STAGE_FLOW } from "./stage-flow";
import { executorFor } from "./stages";
import { stepBudget, type StepBudget } from "./step-budget";
import { requestIndexUpdate, touchesSearchIndex } from "../search/index-sync";

/** A stage's failure reason may quote several providers (one per publishing target). */
const STAGE_REASON_MAX_CHARS = 1000;

export interface StageMessage {
  userId: string;
  recordingId: number;
  runId: string;
  stage: StageType;
}

const statusBefore = (progress: StageProgress): RecordingStatus | null =>
  typeof progress.status_before === "string" ? (progress.status_before as RecordingStatus) : null;

/**
 * Handles one pipeline message: claims the stage for this run (compare-and-set with a lease, so a
 * duplicate delivery does nothing), runs one bounded step, then saves progress and continues,
 * completes the stage and enters the next, retries with backoff, or fails the run. Pause and
 * cancel requests are honoured at every step boundary.
 */
export async function runStageStep(ctx: ServiceContext, message: StageMessage, budget: StepBudget = stepBudget(ctx)): Promise<StageMessage | null> {
  const tenant = forTenant(ctx.db, message.userId);
  const executor = executorFor(message.stage);
  const run = await tenant.runs.get(message.runId);
  if (!executor || !run || (run.status !== "RUNNING" && run.status !== "PAUSED")) return null;
  const claimed = await tenant.stages.claim(message.recordingId, message.stage, run.id, ctx.clock.now(), executor.leaseMs);
  if (!claimed) return null; // another delivery holds it, or it is paused, finished or cancelled
  const recording = await tenant.recordings.get(message.recordingId);
  const progress: StageProgress = { ...(claimed.stageMeta ?? {}) };
  if (run.cancelRequestedAt || !recording || recording.deleted) {
    await cancelHeldStage(ctx, run, claimed, progress, recording);
    return null;
  }
  if (run.pauseRequestedAt) {
    await releaseStage(ctx, run, message.stage, progress);
    return null;
  }
  try {
    const result = await executor.step({
      ctx,
      recording,
      run,
      progress,
      saveProgress: async () => {
        await tenant.stages.progress(recording.id, message.stage, progress, ctx.clock.now(), false);
      },
      budget,
    });
    const fresh = (await tenant.runs.get(run.id)) ?? run;
    if (result.done) {
      const next = await completeStage(ctx, fresh, recording, message.stage, executor, progress, result.recording ?? {});
      return next ? { ...message, stage: next } : null;
    }
    if (fresh.cancelRequestedAt) await cancelHeldStage(ctx, fresh, claimed, progress, recording);
    else await releaseStage(ctx, fresh, message.stage, progress, result.delaySeconds);
  } catch (error) {
    await handleStepFailure(ctx, run, recording, message.stage, executor, progress, claimed.attempts + 1, error);
  }
  return null;
}

/**
 * Runs a stage message, then goes straight on to the stages it enters while the message's time
 * budget lasts, instead of waiting for their queue messages. Those messages are still sent (by
 * `enterStage`, before this goes on): they are the wake-up if this invocation dies, and arrive to
 * find the stage claimed or finished, which the claim turns into a no-op.
 */
export async function runStagesWithinBudget(ctx: ServiceContext, first: StageMessage): Promise<void> {
  const budget = stepBudget(ctx);
  for (let message: StageMessage | null = first; message; ) {
    const current: StageMessage = message;
    // Each stage logs under its own name, not the name of the message that woke the invocation.
    message = await withLogContext({ stage: current.stage }, () => runStageStep(ctx, current, budget));
    if (message && !budget.hasTime()) return;
  }
}

/** Hands the stage back for its next message, or parks it when a pause was requested. */
async function releaseStage(ctx: ServiceContext, run: RunRow, stage: StageType, progress: StageProgress, delaySeconds?: number, countAttempt = false) {
  const tenant = forTenant(ctx.db, run.userId);
  const now = ctx.clock.now();
  if (run.pauseRequestedAt) await tenant.stages.requestPause(run.recordingId, stage, now);
  const next = await tenant.stages.progress(run.recordingId, stage, progress, now, true, countAttempt);
  if (next === "PENDING") await enqueue(ctx.env, stageMessage(run, stage), delaySeconds);
  else if (next === "PAUSED") {
    await tenant.runs.transition(run.id, ["RUNNING"], { status: "PAUSED", updatedAt: now });
    log.info("run paused", { runId: run.id, stage, offset: progress.offset });
  }
}

async function completeStage(
  ctx: ServiceContext,
  run: RunRow,
  recording: RecordingRow,
  stage: StageType,
  executor: StageExecutor,
  progress: StageProgress,
  patch: RecordingPatch,
): Promise<StageType | null> {
  const tenant = forTenant(ctx.db, run.userId);
  const now = ctx.clock.now();
  const flow = STAGE_FLOW[stage];
  const done = flow.done ?? statusBefore(progress) ?? recording.status;
  const updated = await tenant.recordings.update(recording.id, { ...patch, status: patch.status ?? done, updatedAt: now }, eq(recordings.status, flow.running));
  await tenant.stages.finish(recording.id, stage, { status: "COMPLETED" }, progress, now);
  log.info("stage completed", { runId: run.id, recordingId: recording.id, stage });
  if (updated?.status === "READY") await announceRecordingReady(ctx, updated);
  if (updated && touchesSearchIndex(patch)) await requestIndexUpdate(ctx, run.userId, recording.id);
  if (executor.afterComplete && updated) {
    await executor.afterComplete(ctx, updated, progress).catch((error: unknown) => log.warn("after-stage work failed", { stage, recordingId: recording.id, error }));
  }
  const index = run.stages.indexOf(stage);
  const next = run.stages[index + 1] as StageType | undefined;
  if (!updated) {
    await finishRun(ctx, run, "FAILED", "The recording changed state while the stage ran");
    return null;
  }
  if (run.cancelRequestedAt) {
    await finishRun(ctx, run, "CANCELLED", `Cancelled after the ${flow.name} stage`);
    return null;
  }
  if (!next) {
    await finishRun(ctx, run, "COMPLETED");
    return null;
  }
  const paused = run.pauseRequestedAt !== null;
  if (!(await enterStage(ctx, run, updated, next, paused))) {
    await finishRun(ctx, run, "FAILED", "The recording changed state between stages");
    return null;
  }
  return paused ? null : next;
}

async function handleStepFailure(
  ctx: ServiceContext,
  run: RunRow,
  recording: RecordingRow,
  stage: StageType,
  executor: StageExecutor,
  progress: StageProgress,
  attempt: number,
  error: unknown,
) {
  const classified = classifyStageError(error);
  const { retryable, retryAfterSeconds } = classified;
  // Stage errors quote providers, and some providers echo the request's key: cleaned before it is stored, shown or logged.
  const message = sanitizeProviderMessage(classified.message, STAGE_REASON_MAX_CHARS);
  progress.last_error = message;
  if (retryable && attempt < executor.maxAttempts) {
    const delaySeconds = retryAfterSeconds ?? retryDelaySeconds(attempt, Math.random, ctx.config.PIPELINE_RETRY_BASE_SECONDS);
    const fresh = (await forTenant(ctx.db, run.userId).runs.get(run.id)) ?? run;
    log.warn("stage step failed; will retry", { runId: run.id, recordingId: recording.id, stage, attempt, delaySeconds, reason: message });
    await releaseStage(ctx, fresh, stage, progress, delaySeconds, true);
    return;
  }
  await failStage(ctx, run, recording, stage, executor, progress, retryable ? `Gave up after ${attempt} attempts: ${message}` : message);
}

/**
 * Fails a stage for good (§4.3): partial output is discarded, the stage is FAILED with the reason,
 * the recording gets `failed`, `failed_reason`, `failed_at_stage` and goes back to the stable
 * status it had before the stage, and the run ends FAILED.
 */
async function failStage(ctx: ServiceContext, run: RunRow, recording: RecordingRow, stage: StageType, executor: StageExecutor, progress: StageProgress, failure: string) {
  const reason = sanitizeProviderMessage(failure, STAGE_REASON_MAX_CHARS);
  const tenant = forTenant(ctx.db, run.userId);
  const now = ctx.clock.now();
  await executor.discard?.(ctx, recording, progress).catch((error: unknown) => log.warn("discarding partial output failed", { stage, error }));
  await tenant.stages.finish(recording.id, stage, { status: "FAILED", reason }, progress, now);
  await tenant.recordings.update(
    recording.id,
    {
      status: statusBefore(progress) ?? recording.status,
      failed: true,
      failedAt: now,
      failedReason: reason,
      failedAtStage: stage,
      updatedAt: now,
    },
    eq(recordings.status, STAGE_FLOW[stage].running),
  );
  log.error("stage failed", { runId: run.id, recordingId: recording.id, stage, reason });
  await announceRecordingFailed(ctx, recording, run.id, stage, reason);
  await finishRun(ctx, run, "FAILED", `${STAGE_FLOW[stage].name}: ${reason}`);
}

/** Cancels a stage this consumer holds (or that no consumer holds): discard, roll back, end the run. */
export async function cancelHeldStage(ctx: ServiceContext, run: RunRow, stage: StageRow, progress: StageProgress, recording: RecordingRow | undefined) {
  const tenant = forTenant(ctx.db, run.userId);
  const now = ctx.clock.now();
  const executor = executorFor(stage.stageType);
  if (recording) await executor?.discard?.(ctx, recording, progress).catch((error: unknown) => log.warn("discarding partial output failed", { error }));
  await tenant.stages.finish(stage.recordingId, stage.stageType, { status: "CANCELLED" }, progress, now);
  const before = statusBefore(progress);
  if (recording && before) {
    await tenant.recordings.update(recording.id, { status: before, updatedAt: now }, eq(recordings.status, STAGE_FLOW[stage.stageType].running));
  }
  await finishRun(ctx, run, "CANCELLED", recording && !recording.deleted ? null : "The recording was deleted");
}

/** The dead-letter path: a stage whose messages were exhausted fails instead of staying "in progress". */
export async function abandonStage(ctx: ServiceContext, message: StageMessage, reason: string): Promise<void> {
  const tenant = forTenant(ctx.db, message.userId);
  const [run, recording, stage] = await Promise.all([
    tenant.runs.get(message.runId),
    tenant.recordings.get(message.recordingId),
    tenant.stages.get(message.recordingId, message.stage),
  ]);
  const executor = executorFor(message.stage);
  if (!run || !recording || !stage || !executor || stage.runId !== run.id) return;
  if (stage.status === "COMPLETED" || stage.status === "FAILED" || stage.status === "CANCELLED") return;
  await failStage(ctx, run, recording, message.stage, executor, { ...(stage.stageMeta ?? {}) }, reason);
}
