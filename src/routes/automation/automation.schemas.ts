import { z } from "@hono/zod-openapi";
import type { AutomationJobRow } from "../../db/repositories/automation.repository";
import type { JobInput } from "../../services/automation/automation.service";
import { normalizeSchedule, scheduleProblems, scheduleToCron, type Schedule } from "../../services/automation/schedule";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:MM (00:00–23:59)");
const timezone = z.string().min(1).max(64).optional().openapi({ description: "IANA time zone (default Europe/Moscow)", example: "Europe/Moscow" });

const RawSchedule = z.discriminatedUnion("type", [
  z.object({ type: z.literal("time_of_day"), time, timezone }).strict(),
  z.object({ type: z.literal("hours"), hours: z.number().int().min(1).max(24), timezone }).strict(),
  z.object({ type: z.literal("weekdays"), days: z.array(z.number().int().min(0).max(6)).min(1).max(7), time, timezone }).strict(),
  z.object({ type: z.literal("cron"), expression: z.string().trim().min(9).max(200), timezone }).strict(),
]);

/** Validated and normalised (zone filled in, weekdays sorted); an invalid zone or cron expression is a 400 here. */
export const ScheduleInput = RawSchedule.transform((raw, ctx): Schedule => {
  const schedule = normalizeSchedule(raw);
  for (const message of scheduleProblems(schedule)) ctx.addIssue({ code: "custom", message });
  return schedule;
}).openapi({
  description:
    "time_of_day {time HH:MM}; hours {hours 1–24: on the hour every N hours from local midnight}; weekdays {days 0=Mon…6=Sun, time}; " +
    "cron {expression: 5 fields with *, lists, ranges, steps}. All with `timezone`. A local time skipped by DST fires at the first " +
    "minute after the gap; a repeated one fires once (its first occurrence).",
  example: { type: "time_of_day", time: "09:00", timezone: "Europe/Moscow" },
});

const SyncConfig = z.object({ sync_days: z.number().int().min(1).max(30).default(2), allow_skipped: z.boolean().default(false) }).strict();
const ProcessingConfig = z
  .object({ auto_process: z.boolean().default(true), auto_upload: z.boolean().default(true), max_parallel: z.number().int().min(1).max(10).default(3) })
  .strict();

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(1000).nullable().optional(),
  source_id: z.number().int().positive().openapi({ description: "A ZOOM source of the caller" }),
  template_ids: z.array(z.number().int().positive()).max(100).openapi({ description: "Templates of the caller; empty = any" }),
  schedule: ScheduleInput,
  sync_config: SyncConfig,
  processing_config: ProcessingConfig,
  is_active: z.boolean(),
};

export const JobCreateSchema = z
  .object({
    ...fields,
    template_ids: fields.template_ids.default([]),
    sync_config: SyncConfig.default({ sync_days: 2, allow_skipped: false }),
    processing_config: ProcessingConfig.default({ auto_process: true, auto_upload: true, max_parallel: 3 }),
    is_active: fields.is_active.optional(),
  })
  .strict()
  .openapi("AutomationJobCreate");

export const JobUpdateSchema = z
  .object(fields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "at least one field is required")
  .openapi("AutomationJobUpdate");

export const JobSchema = z
  .object({
    id: z.number().int(),
    user_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    source_id: z.number().int(),
    template_ids: z.array(z.number().int()),
    schedule: z.record(z.string(), z.unknown()),
    cron_expression: z.string().openapi({ description: "The schedule as a 5-field cron expression (in `schedule.timezone`)" }),
    sync_config: z.record(z.string(), z.unknown()),
    processing_config: z.record(z.string(), z.unknown()),
    is_active: z.boolean(),
    is_running: z.boolean(),
    last_run_at: z.string().nullable(),
    next_run_at: z.string().nullable(),
    run_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("AutomationJob");

/** What a dry run reports (previewAutomationRun): the window, the recordings it would pick and start. */
const DryRunFields = {
  job_id: z.number().int(),
  source_id: z.number().int(),
  window: z.object({ from: z.string(), to: z.string() }),
  would_sync: z.boolean(),
  statuses: z.array(z.string()),
  templates_to_apply: z.array(z.number().int()),
  estimated_matched_recordings: z.number().int(),
  matched_recordings: z.array(
    z.object({ id: z.number().int(), display_name: z.string(), start_time: z.string(), status: z.string(), template_id: z.number().int().nullable() }),
  ),
  would_start: z.array(z.number().int()).openapi({ description: "Recording ids a run now would start (at most max_parallel)" }),
  auto_upload: z.boolean(),
  next_run_at: z.string().nullable(),
};

export const RunResultSchema = z
  .object({
    task_id: z.string().nullable(),
    run_id: z.number().int().nullable(),
    mode: z.enum(["execute", "dry_run"]),
    message: z.string(),
    ...z.object(DryRunFields).partial().shape,
  })
  .passthrough()
  .openapi("AutomationRunResult", { description: "A queued run (task_id, run_id), or with dry_run=true the plan: every other field, nothing changed" });

export function toJobResponse(job: AutomationJobRow): z.infer<typeof JobSchema> {
  return {
    id: job.id,
    user_id: job.userId,
    name: job.name,
    description: job.description,
    source_id: job.sourceId,
    template_ids: job.templateIds,
    schedule: job.schedule,
    cron_expression: scheduleToCron(job.schedule as unknown as Schedule),
    sync_config: job.syncConfig,
    processing_config: job.processingConfig,
    is_active: job.isActive,
    is_running: job.runningSince !== null,
    last_run_at: job.lastRunAt?.toISOString() ?? null,
    next_run_at: job.nextRunAt?.toISOString() ?? null,
    run_count: job.runCount,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
  };
}

export function toJobInput(body: Partial<z.infer<typeof JobCreateSchema>>): Partial<JobInput> {
  return {
    name: body.name,
    description: body.description,
    sourceId: body.source_id,
    templateIds: body.template_ids,
    schedule: body.schedule,
    syncConfig: body.sync_config,
    processingConfig: body.processing_config,
    isActive: body.is_active,
  };
}
