import { z } from "@hono/zod-openapi";
import type { RunRow } from "../../db/repositories/runs.repository";
import { boundedJson, JSON_SIZE_LIMITS } from "../../lib/json-limits";
import type { StageRow } from "../../db/repositories/stages.repository";
import type { PlannedStep } from "../../services/pipeline/plan";
import type { RunPreview } from "../../services/pipeline/runs.service";
import { STAGE_FLOW } from "../../services/pipeline/stage-flow";
import { bulkSelectionFields, exactlyOneSelection } from "../recordings/recordings.schemas";

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const configObject = boundedJson({ maxBytes: JSON_SIZE_LIMITS.configDocument });

/** Per-request overrides (§6.5's request layer): they apply to this run only, nothing is stored. */
const overrideFields = {
  processing_config: configObject.optional(),
  metadata_config: configObject.optional(),
  output_config: configObject.optional(),
};

export const ProcessBodySchema = z.object(overrideFields).strict().openapi("ProcessRequest");

export const BulkProcessBodySchema = z
  .object({ ...bulkSelectionFields, ...overrideFields })
  .strict()
  .refine(...exactlyOneSelection)
  .openapi("BulkProcessRequest");

/** LEAP's bulk download body (§3.7): the selection plus `force` and `allow_skipped`. */
export const BulkDownloadBodySchema = z
  .object({
    ...bulkSelectionFields,
    force: z.boolean().default(false).openapi({ description: "Download again the recordings whose video is stored (see POST /recordings/{id}/download)" }),
    allow_skipped: z.boolean().optional().openapi({ description: "Also download SKIPPED recordings (no template matched)" }),
  })
  .strict()
  .refine(...exactlyOneSelection)
  .openapi("BulkDownloadRequest");

export const RunQuerySchema = z.object({
  dry_run: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ param: { name: "dry_run", in: "query" }, description: "Only report what would run" }),
  allow_skipped: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true"))
    .openapi({ param: { name: "allow_skipped", in: "query" }, description: "Process a SKIPPED recording (no template matched)" }),
});

const PlanStepSchema = z
  .object({
    stage: z.string(),
    name: z.string().openapi({ example: "download" }),
    enabled: z.boolean(),
    skip_reason: z.string().optional(),
    platforms: z.array(z.string()).optional(),
  })
  .openapi("PlanStep");

export const DryRunSchema = z
  .object({
    dry_run: z.literal(true),
    recording_id: z.number().int(),
    will_run: z.boolean(),
    reason: z.string().nullable(),
    current_status: z.string(),
    steps: z.array(PlanStepSchema),
  })
  .openapi("DryRun");

const RunStageSchema = z.object({
  stage: z.string(),
  status: z.string().openapi({ description: "PENDING, IN_PROGRESS, PAUSED, COMPLETED, FAILED, SKIPPED or CANCELLED" }),
  attempts: z.number().int(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  error: z.string().nullable(),
  progress: z.number().nullable().openapi({ description: "0–100 within the stage, when the stage reports bytes" }),
});

export const RunSchema = z
  .object({
    task_id: z.string(),
    recording_id: z.number().int(),
    status: z.string().openapi({ description: "QUEUED, RUNNING, PAUSED, COMPLETED, FAILED or CANCELLED" }),
    state: z.string().openapi({ description: "LEAP's task state: PENDING, PROCESSING, PAUSED, SUCCESS, FAILURE or REVOKED" }),
    trigger: z.string(),
    progress: z.number().openapi({ description: "0–100 over the run's stages" }),
    current_stage: z.string().nullable(),
    pause_requested: z.boolean(),
    cancel_requested: z.boolean(),
    error: z.string().nullable(),
    stages: z.array(RunStageSchema),
    plan: z.array(PlanStepSchema),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi("Run");

export const BulkDryRunSchema = z
  .object({
    dry_run: z.literal(true),
    total: z.number().int(),
    matched_count: z.number().int(),
    skipped_count: z.number().int(),
    recordings: z.array(
      z.object({
        recording_id: z.number().int(),
        will_be_processed: z.boolean(),
        skip_reason: z.string().optional(),
        display_name: z.string().optional(),
        current_status: z.string().optional(),
        steps: z.array(z.string()).optional(),
      }),
    ),
  })
  .openapi("BulkDryRun");

export const ResetSchema = z
  .object({
    success: z.boolean(),
    recording_id: z.number().int(),
    message: z.string(),
    deleted_files: z.array(z.string()),
    errors: z.array(z.string()),
    status: z.string(),
    preserved: z.object({
      template_id: z.number().int().nullable(),
      is_mapped: z.boolean(),
      processing_preferences: z.record(z.string(), z.unknown()).nullable(),
      source_file: z.boolean(),
    }),
  })
  .openapi("ResetResult");

const LEAP_STATE: Record<RunRow["status"], string> = {
  QUEUED: "PENDING",
  RUNNING: "PROCESSING",
  PAUSED: "PAUSED",
  COMPLETED: "SUCCESS",
  FAILED: "FAILURE",
  CANCELLED: "REVOKED",
};

/** Byte progress of a stage that reports `files` with `offset`/`total` (the download). */
function stageFraction(stage: StageRow): number | null {
  if (stage.status === "COMPLETED") return 1;
  const files = stage.stageMeta?.files;
  if (!files || typeof files !== "object") return null;
  let done = 0;
  let total = 0;
  for (const file of Object.values(files as Record<string, { offset?: number; total?: number; bytes?: number }>)) {
    if (typeof file.total !== "number") continue;
    total += file.total;
    done += file.bytes ?? file.offset ?? 0;
  }
  return total > 0 ? done / total : null;
}

/**
 * A recording keeps one row per stage type, taken over by the latest run that redoes it: an older
 * run without its row is told by its own outcome. A COMPLETED run completed every stage; a run that
 * ended otherwise passed the stages before the one it stopped at, and failed (or was cancelled) at
 * that one; a stage it never reached, or one of a run still going, is PENDING.
 */
function statusWithoutRow(run: RunRow, index: number): StageRow["status"] {
  if (run.status === "COMPLETED") return "COMPLETED";
  const stoppedAt = run.currentStage ? run.stages.indexOf(run.currentStage) : -1;
  if ((run.status !== "FAILED" && run.status !== "CANCELLED") || stoppedAt < 0 || index > stoppedAt) return "PENDING";
  return index < stoppedAt ? "COMPLETED" : run.status;
}

export function toRunResponse(run: RunRow, stageRows: StageRow[]): z.infer<typeof RunSchema> {
  const byType = new Map(stageRows.filter((s) => s.runId === run.id).map((s) => [s.stageType as string, s]));
  const stages = run.stages.map((type, index) => {
    const row = byType.get(type);
    const fraction = row ? stageFraction(row) : null;
    return {
      stage: type,
      status: row?.status ?? statusWithoutRow(run, index),
      attempts: row?.attempts ?? 0,
      started_at: iso(row?.startedAt),
      completed_at: iso(row?.completedAt),
      duration_ms: row?.startedAt && row.completedAt ? row.completedAt.getTime() - row.startedAt.getTime() : null,
      error: row?.failedReason ?? (typeof row?.stageMeta?.last_error === "string" && row.status !== "COMPLETED" ? row.stageMeta.last_error : null),
      progress: fraction === null ? null : Math.round(fraction * 1000) / 10,
      fraction: fraction ?? (row?.status === "COMPLETED" ? 1 : 0),
    };
  });
  const overall = run.status === "COMPLETED" ? 100 : stages.length ? (stages.reduce((sum, s) => sum + s.fraction, 0) / stages.length) * 100 : 0;
  return {
    task_id: run.id,
    recording_id: run.recordingId,
    status: run.status,
    state: LEAP_STATE[run.status],
    trigger: run.trigger,
    progress: Math.round(overall * 10) / 10,
    current_stage: run.currentStage,
    pause_requested: run.pauseRequestedAt !== null,
    cancel_requested: run.cancelRequestedAt !== null,
    error: run.error,
    stages: stages.map(({ fraction: _fraction, ...rest }) => rest),
    plan: run.plan.map((step) => ({ ...step, name: STAGE_FLOW[step.stage as keyof typeof STAGE_FLOW]?.name ?? step.stage.toLowerCase() })),
    created_at: run.createdAt.toISOString(),
    started_at: iso(run.startedAt),
    finished_at: iso(run.finishedAt),
  };
}

export const toPlanResponse = (steps: PlannedStep[]) => steps.map(({ stage, name, enabled, skip_reason, platforms }) => ({ stage, name, enabled, skip_reason, platforms }));

export function toDryRunResponse(preview: RunPreview): z.infer<typeof DryRunSchema> {
  return {
    dry_run: true,
    recording_id: preview.recording.id,
    will_run: preview.willRun,
    reason: preview.reason,
    current_status: preview.recording.status,
    steps: toPlanResponse(preview.steps),
  };
}
