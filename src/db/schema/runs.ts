import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { recordings } from "./recordings";
import { users } from "./users";

export const RUN_STATUSES = ["QUEUED", "RUNNING", "PAUSED", "COMPLETED", "FAILED", "CANCELLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES = ["QUEUED", "RUNNING", "PAUSED"] as const satisfies readonly RunStatus[];
export const RUN_TRIGGERS = ["manual", "bulk", "download", "retry", "webhook", "sync"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** One planned step of a run: the stage, and why it will not run when it will not. */
export interface RunPlanStep {
  stage: string;
  enabled: boolean;
  skip_reason?: string;
}

/**
 * A run is one pass of the pipeline over a recording: the ordered stages it will execute (resolved
 * from the configuration when it was started), where it is, and how it ended. Its id is the task
 * id of `/api/v1/tasks/{id}`. The partial unique index is the guarantee that a recording never has
 * two active runs, whatever races between requests, webhooks and bulk calls.
 */
export const pipelineRuns = sqliteTable(
  "pipeline_runs",
  {
    id: text("id").primaryKey(), // ULID
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    recordingId: integer("recording_id")
      .notNull()
      .references(() => recordings.id, { onDelete: "cascade" }),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("QUEUED"),
    trigger: text("trigger", { enum: RUN_TRIGGERS }).notNull(),
    /** Stage types to execute, in order. */
    stages: text("stages", { mode: "json" }).$type<string[]>().notNull(),
    /** The whole plan (executed and skipped steps with reasons), as the dry run showed it. */
    plan: text("plan", { mode: "json" }).$type<RunPlanStep[]>().notNull(),
    currentStage: text("current_stage"),
    /** The request's config layer (processing/metadata/output), kept for retries. */
    overrides: text("overrides", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error"),
    pauseRequestedAt: timestamp("pause_requested_at"),
    cancelRequestedAt: timestamp("cancel_requested_at"),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("pipeline_runs_one_active_uq")
      .on(t.recordingId)
      .where(sql`status IN ('QUEUED', 'RUNNING', 'PAUSED')`),
    index("pipeline_runs_recording_idx").on(t.recordingId, t.createdAt),
    index("pipeline_runs_user_status_idx").on(t.userId, t.status, t.createdAt),
  ],
);
