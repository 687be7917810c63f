import type { AuthContext } from "../../app-types";
import { AutomationRepository, AutomationSchedulerRepository, type AutomationJobRow } from "../../db/repositories/automation.repository";
import type { RecordingStatus } from "../../db/schema";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { startRun } from "../pipeline/runs.service";
import { syncZoomSource, type SyncResult } from "../zoom/sync";
import { nextRunAfter, type Schedule } from "./schedule";

/** A run that has held its job this long is presumed lost (its consumer died); the job may run again. */
export const STALE_RUN_MS = 60 * 60_000;
const DAY_MS = 86_400_000;
const TICK_BATCH = 100;
const CANDIDATE_LIMIT = 200;

interface JobConfig {
  syncDays: number;
  allowSkipped: boolean;
  autoProcess: boolean;
  autoUpload: boolean;
  maxParallel: number;
}

function configOf(job: AutomationJobRow): JobConfig {
  const sync = job.syncConfig as { sync_days?: number; allow_skipped?: boolean };
  const processing = job.processingConfig as { auto_process?: boolean; auto_upload?: boolean; max_parallel?: number };
  return {
    syncDays: sync.sync_days ?? 2,
    allowSkipped: sync.allow_skipped ?? false,
    autoProcess: processing.auto_process ?? true,
    autoUpload: processing.auto_upload ?? true,
    maxParallel: processing.max_parallel ?? 3,
  };
}

export async function enqueueAutomationRun(ctx: ServiceContext, userId: string, jobId: number, runId: number): Promise<void> {
  await enqueue(ctx.env, { type: "automation.run", userId, jobId, runId });
}

/**
 * The minutely cron: claims every due job (compare-and-set on running_since and next_run_at),
 * records a `scheduled` run and queues it. next_run_at moves to the first fire time after NOW, so
 * ticks missed while the Worker was down are caught up by one run, not replayed one by one.
 */
export async function automationTick(ctx: ServiceContext, limit = TICK_BATCH): Promise<{ claimed: number[] }> {
  const now = ctx.clock.now();
  const staleBefore = new Date(now.getTime() - STALE_RUN_MS);
  const scheduler = new AutomationSchedulerRepository(ctx.db);
  const claimed: number[] = [];
  for (const { id, userId } of await scheduler.due(now, staleBefore, limit)) {
    const claim = await scheduler.claimDue(id, now, staleBefore, (job) => nextRunAfter(job.schedule as unknown as Schedule, now));
    if (!claim) continue; // another tick took it, or it changed meanwhile
    await new AutomationRepository(ctx.db, userId).failAbandonedRuns(id, now, now);
    const run = await new AutomationRepository(ctx.db, userId).insertRun({
      jobId: id,
      mode: "scheduled",
      status: "running",
      scheduledFor: claim.scheduledFor,
      startedAt: now,
    });
    await enqueueAutomationRun(ctx, userId, id, run.id);
    claimed.push(id);
  }
  if (claimed.length > 0) log.info("automation tick", { claimed: claimed.length });
  return { claimed };
}

function windowOf(config: JobConfig, now: Date) {
  return { from: new Date(now.getTime() - config.syncDays * DAY_MS), to: now };
}

function statusesOf(config: JobConfig): RecordingStatus[] {
  return config.allowSkipped ? ["INITIALIZED", "SKIPPED"] : ["INITIALIZED"];
}

async function candidates(ctx: ServiceContext, job: AutomationJobRow, config: JobConfig, window: { from: Date; to: Date }) {
  return new AutomationRepository(ctx.db, job.userId).candidateRecordings({
    sourceId: job.sourceId,
    statuses: statusesOf(config),
    templateIds: job.templateIds,
    from: window.from,
    to: window.to,
    limit: CANDIDATE_LIMIT,
  });
}

/** The dry run: the recordings already in the database that a run now would pick. */
export async function previewAutomationRun(ctx: ServiceContext, job: AutomationJobRow) {
  const config = configOf(job);
  const window = windowOf(config, ctx.clock.now());
  const matched = await candidates(ctx, job, config, window);
  const wouldStart = config.autoProcess ? matched.slice(0, config.maxParallel) : [];
  return {
    job_id: job.id,
    source_id: job.sourceId,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    would_sync: true,
    statuses: statusesOf(config),
    templates_to_apply: job.templateIds,
    estimated_matched_recordings: matched.length,
    matched_recordings: matched.map((r) => ({ id: r.id, display_name: r.displayName, start_time: r.startTime.toISOString(), status: r.status, template_id: r.templateId })),
    would_start: wouldStart.map((r) => r.id),
    auto_upload: config.autoUpload,
    next_run_at: job.nextRunAt?.toISOString() ?? null,
  };
}

/**
 * One run (the queue consumer): sync the source over [now − sync_days, now], then start pipeline
 * runs for the matching recordings, at most `max_parallel` (startRun queues beyond the user's
 * concurrency on its own). Always ends the run row and frees the job, also on failure; a message
 * delivered again for an ended run does nothing.
 */
export async function runAutomationJob(ctx: ServiceContext, message: { userId: string; jobId: number; runId: number }): Promise<void> {
  const r = new AutomationRepository(ctx.db, message.userId);
  const [job, run] = await Promise.all([r.get(message.jobId), r.getRun(message.runId)]);
  if (!job || !run || run.status !== "running") return;
  const config = configOf(job);
  const window = windowOf(config, ctx.clock.now());
  const auth: AuthContext = { userId: job.userId, sessionId: `automation-${run.id}`, email: "", role: "user" };
  let sync: SyncResult | null = null;
  const started: Array<{ recording_id: number; run_id: string }> = [];
  const notStarted: Array<{ recording_id: number; reason: string }> = [];
  try {
    sync = await syncZoomSource(ctx, auth, job.sourceId, window);
    const matched = await candidates(ctx, job, config, window);
    if (config.autoProcess) {
      for (const recording of matched) {
        if (started.length >= config.maxParallel) break;
        try {
          const pipelineRun = await startRun(ctx, job.userId, recording.id, {
            trigger: "bulk",
            allowSkipped: config.allowSkipped,
            overrides: { output_config: { auto_upload: config.autoUpload } },
          });
          started.push({ recording_id: recording.id, run_id: pipelineRun.id });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          notStarted.push({ recording_id: recording.id, reason: error.message });
        }
      }
    }
    const result = { sync, window: { from: window.from.toISOString(), to: window.to.toISOString() }, matched: matched.length, started, not_started: notStarted };
    await r.finishRun(job.id, run.id, ctx.clock.now(), { status: "completed", result, error: null });
    log.info("automation run done", { jobId: job.id, runId: run.id, matched: matched.length, started: started.length });
  } catch (error) {
    const messageText = error instanceof Error ? error.message : String(error);
    log.warn("automation run failed", { jobId: job.id, runId: run.id, error });
    await r.finishRun(job.id, run.id, ctx.clock.now(), { status: "failed", result: { sync, started, not_started: notStarted }, error: messageText });
  }
}
