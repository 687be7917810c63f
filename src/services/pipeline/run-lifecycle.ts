import { eq } from "drizzle-orm";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { RunRow } from "../../db/repositories/runs.repository";
import type { StageType } from "../../db/repositories/stages.repository";
import { forTenant } from "../../db/repositories/tenant";
import { recordings, type RunStatus } from "../../db/schema";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { announceRunFinished } from "../notifications/announcements";
import { releaseRunSlot, tryReserveRunSlot } from "../quotas/run-slots";
import { STABLE_STATUSES, STAGE_FLOW } from "./stage-flow";

export const runSlotKey = (runId: string) => `run:${runId}`;

export const stageMessage = (run: RunRow, stage: StageType) =>
  ({ type: "pipeline.stage", userId: run.userId, recordingId: run.recordingId, runId: run.id, stage }) as const;

/**
 * Moves the recording into a stage: its status becomes the stage's running status by
 * compare-and-set from the stable status it has now (kept as the stage's `status_before`, where a
 * failure rolls back to), and the stage row is (re)opened for this run. False when the recording
 * changed meanwhile (deleted, reset, moved by someone else).
 */
export async function enterStage(ctx: ServiceContext, run: RunRow, recording: RecordingRow, stage: StageType, paused: boolean): Promise<boolean> {
  const tenant = forTenant(ctx.db, run.userId);
  const now = ctx.clock.now();
  if (recording.deleted || !STABLE_STATUSES.has(recording.status)) return false;
  const moved = await tenant.recordings.update(
    recording.id,
    { status: STAGE_FLOW[stage].running, failed: false, failedReason: null, failedAtStage: null, failedAt: null, updatedAt: now },
    eq(recordings.status, recording.status),
  );
  if (!moved) return false;
  await tenant.stages.open(recording.id, stage, run.id, now, paused ? "PAUSED" : "PENDING", { status_before: recording.status });
  await tenant.runs.transition(run.id, ["RUNNING", "PAUSED"], { currentStage: stage, status: paused ? "PAUSED" : "RUNNING", updatedAt: now });
  if (!paused) await enqueue(ctx.env, stageMessage(run, stage));
  return true;
}

/** Ends a run (from any active state), frees its slot and lets the user's next queued run in. */
export async function finishRun(ctx: ServiceContext, run: RunRow, status: Extract<RunStatus, "COMPLETED" | "FAILED" | "CANCELLED">, error: string | null = null) {
  const now = ctx.clock.now();
  const ended = await forTenant(ctx.db, run.userId).runs.transition(run.id, ["QUEUED", "RUNNING", "PAUSED"], {
    status,
    error: error?.slice(0, 1000) ?? null,
    finishedAt: now,
    updatedAt: now,
  });
  await releaseRunSlot(ctx, run.userId, runSlotKey(run.id));
  if (ended) {
    log.info("run finished", { runId: run.id, recordingId: run.recordingId, status, error });
    await announceRunFinished(ctx, ended, await forTenant(ctx.db, run.userId).recordings.get(run.recordingId));
  }
  await admitQueuedRuns(ctx, run.userId);
  return ended;
}

export type StartOutcome = "started" | "waiting" | "gone";

/**
 * Starts a queued run when the user has a free run slot (the per-user Durable Object decides, so
 * simultaneous starts cannot exceed the plan): QUEUED → RUNNING, then the first stage is entered.
 * Without a slot the run stays QUEUED and starts when another run of the user ends.
 */
export async function startQueuedRun(ctx: ServiceContext, run: RunRow): Promise<StartOutcome> {
  const tenant = forTenant(ctx.db, run.userId);
  if (!(await tryReserveRunSlot(ctx, run.userId, runSlotKey(run.id))).granted) return "waiting";
  const first = run.stages[0] as StageType;
  const now = ctx.clock.now();
  const started = await tenant.runs.transition(run.id, ["QUEUED"], { status: "RUNNING", currentStage: first, startedAt: now, updatedAt: now });
  if (!started) {
    // Cancelled meanwhile, or another admitter started it under the same slot key.
    const current = await tenant.runs.get(run.id);
    if (current?.status !== "RUNNING") await releaseRunSlot(ctx, run.userId, runSlotKey(run.id));
    return "gone";
  }
  const recording = await tenant.recordings.get(run.recordingId);
  if (!recording || !(await enterStage(ctx, started, recording, first, false))) {
    await finishRun(ctx, started, "FAILED", `The recording changed before the run could start (it is ${recording?.deleted ? "deleted" : (recording?.status ?? "gone")})`);
    return "gone";
  }
  return "started";
}

/** Lets the user's oldest queued runs in while slots are free. */
export async function admitQueuedRuns(ctx: ServiceContext, userId: string, max = 10): Promise<number> {
  let started = 0;
  for (const run of await forTenant(ctx.db, userId).runs.oldestQueued(max)) {
    const outcome = await startQueuedRun(ctx, run);
    if (outcome === "waiting") break;
    if (outcome === "started") started++;
  }
  return started;
}
