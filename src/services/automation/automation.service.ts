import type { AuthContext } from "../../app-types";
import { AutomationRepository, type AutomationJobRow } from "../../db/repositories/automation.repository";
import { AppError, badRequest, conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { enqueueAutomationRun, previewAutomationRun, STALE_RUN_MS } from "./automation-runner";
import { minimumIntervalHours, nextRunAfter, scheduleProblems, type Schedule } from "./schedule";

export interface SyncConfig {
  sync_days: number;
  allow_skipped: boolean;
}

export interface ProcessingConfig {
  auto_process: boolean;
  auto_upload: boolean;
  max_parallel: number;
}

export interface JobInput {
  name: string;
  description?: string | null;
  sourceId: number;
  templateIds: number[];
  schedule: Schedule;
  syncConfig: SyncConfig;
  processingConfig: ProcessingConfig;
  isActive?: boolean;
}

const repo = (ctx: ServiceContext, auth: AuthContext) => new AutomationRepository(ctx.db, auth.userId);

async function loadJob(ctx: ServiceContext, auth: AuthContext, id: number): Promise<AutomationJobRow> {
  const job = await repo(ctx, auth).get(id);
  if (!job) throw notFound("Automation job");
  return job;
}

/** Schedule validity and the plan's minimum interval (400 with the limit in the details). */
async function checkSchedule(r: AutomationRepository, schedule: Schedule): Promise<void> {
  const problems = scheduleProblems(schedule);
  if (problems.length > 0) throw badRequest(`Invalid schedule: ${problems.join("; ")}`, { schedule: problems });
  const { minAutomationIntervalHours: min } = await r.limits();
  if (min !== null && min > 0) {
    const interval = minimumIntervalHours(schedule);
    if (interval < min) {
      throw badRequest(`Schedule runs too often: every ${+interval.toFixed(2)} h, your plan allows at least ${min} h between runs`, {
        quota: "min_automation_interval_hours",
        limit: min,
        current: +interval.toFixed(4),
      });
    }
  }
}

/** ⚠ LEAP accepted any ids: the source and every template must be the caller's (another tenant's → 404). */
async function checkReferences(r: AutomationRepository, sourceId: number | undefined, templateIds: number[] | undefined): Promise<void> {
  if (sourceId !== undefined) {
    const source = await r.sourceOf(sourceId);
    if (!source) throw notFound("Source");
    if (source.sourceType !== "ZOOM") throw badRequest(`Automation syncs ZOOM sources only (this one is ${source.sourceType})`);
  }
  if (templateIds && templateIds.length > 0) {
    const owned = new Set(await r.ownedTemplateIds(templateIds));
    const missing = templateIds.filter((id) => !owned.has(id));
    if (missing.length > 0) throw new AppError("NOT_FOUND", `Template not found: ${missing.join(", ")}`);
  }
}

export async function listJobs(ctx: ServiceContext, auth: AuthContext, activeOnly: boolean) {
  return repo(ctx, auth).list(activeOnly);
}

export async function getJob(ctx: ServiceContext, auth: AuthContext, id: number) {
  return loadJob(ctx, auth, id);
}

export async function createJob(ctx: ServiceContext, auth: AuthContext, input: JobInput): Promise<AutomationJobRow> {
  const r = repo(ctx, auth);
  const { maxAutomationJobs: max } = await r.limits();
  const current = await r.count();
  if (max !== null && current >= max) {
    throw badRequest(`Automation job limit reached (${max} jobs maximum)`, { quota: "max_automation_jobs", limit: max, current });
  }
  await checkReferences(r, input.sourceId, input.templateIds);
  await checkSchedule(r, input.schedule);
  const now = ctx.clock.now();
  const isActive = input.isActive ?? true;
  return r.insert({
    name: input.name,
    description: input.description ?? null,
    sourceId: input.sourceId,
    templateIds: [...new Set(input.templateIds)],
    schedule: input.schedule,
    syncConfig: { ...input.syncConfig },
    processingConfig: { ...input.processingConfig },
    isActive,
    nextRunAt: isActive ? nextRunAfter(input.schedule, now) : null,
    createdAt: now,
    updatedAt: now,
  });
}

/** ⚠ LEAP crashed on a schedule change; here a new schedule or (re)activation recomputes next_run_at from now. */
export async function updateJob(ctx: ServiceContext, auth: AuthContext, id: number, patch: Partial<JobInput>): Promise<AutomationJobRow> {
  const r = repo(ctx, auth);
  const job = await loadJob(ctx, auth, id);
  await checkReferences(r, patch.sourceId, patch.templateIds);
  if (patch.schedule) await checkSchedule(r, patch.schedule);
  const now = ctx.clock.now();
  const schedule = patch.schedule ?? (job.schedule as unknown as Schedule);
  const isActive = patch.isActive ?? job.isActive;
  const reschedule = patch.schedule !== undefined || (patch.isActive !== undefined && patch.isActive !== job.isActive);
  const updated = await r.update(id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.sourceId !== undefined ? { sourceId: patch.sourceId } : {}),
    ...(patch.templateIds !== undefined ? { templateIds: [...new Set(patch.templateIds)] } : {}),
    ...(patch.schedule !== undefined ? { schedule: patch.schedule } : {}),
    ...(patch.syncConfig !== undefined ? { syncConfig: { ...patch.syncConfig } } : {}),
    ...(patch.processingConfig !== undefined ? { processingConfig: { ...patch.processingConfig } } : {}),
    isActive,
    ...(reschedule ? { nextRunAt: isActive ? nextRunAfter(schedule, now) : null } : {}),
    updatedAt: now,
  });
  if (!updated) throw notFound("Automation job");
  return updated;
}

export async function deleteJob(ctx: ServiceContext, auth: AuthContext, id: number): Promise<void> {
  if (!(await repo(ctx, auth).delete(id))) throw notFound("Automation job");
}

/**
 * Run now: claims the job like the tick does (409 while a run is in progress), records a `manual`
 * run and queues it. next_run_at is left alone: the schedule continues as planned.
 */
export async function runJobNow(ctx: ServiceContext, auth: AuthContext, id: number) {
  const r = repo(ctx, auth);
  await loadJob(ctx, auth, id);
  const now = ctx.clock.now();
  const claimed = await r.claimNow(id, now, new Date(now.getTime() - STALE_RUN_MS));
  if (!claimed) throw conflict("The job is already running", { job_id: id });
  await r.failAbandonedRuns(id, now, now);
  const run = await r.insertRun({ jobId: id, mode: "manual", status: "running", startedAt: now });
  await enqueueAutomationRun(ctx, auth.userId, id, run.id);
  return { task_id: String(run.id), run_id: run.id, mode: "execute" as const, message: "Automation job queued" };
}

/** The job's runs, newest first: when, how (scheduled, manual), and what each did or why it failed. */
export async function listJobRuns(ctx: ServiceContext, auth: AuthContext, id: number, limit: number) {
  await loadJob(ctx, auth, id);
  return repo(ctx, auth).listRuns(id, limit);
}

/** What a run would do now, from the database alone (no Zoom call, nothing changed). */
export async function dryRunJob(ctx: ServiceContext, auth: AuthContext, id: number) {
  const job = await loadJob(ctx, auth, id);
  const preview = await previewAutomationRun(ctx, job);
  return { task_id: null, run_id: null, mode: "dry_run" as const, message: `${preview.would_start.length} recording(s) would be processed`, ...preview };
}
