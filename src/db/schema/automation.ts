import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { inputSources } from "./sources";
import { users } from "./users";

type Json = Record<string, unknown>;

/**
 * Automation jobs (§7.2): on a schedule (time_of_day / hours / weekdays / cron, with a time zone),
 * sync a source and process the recordings that match the job's templates. `next_run_at` is what the
 * minutely cron tick looks for; `running_since` keeps a job from overlapping itself.
 */
export const automationJobs = sqliteTable(
  "automation_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    sourceId: integer("source_id")
      .notNull()
      .references(() => inputSources.id, { onDelete: "cascade" }),
    templateIds: text("template_ids", { mode: "json" }).$type<number[]>().notNull(),
    schedule: text("schedule", { mode: "json" }).$type<Json>().notNull(),
    syncConfig: text("sync_config", { mode: "json" }).$type<Json>().notNull(),
    processingConfig: text("processing_config", { mode: "json" }).$type<Json>().notNull(),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    lastRunAt: timestamp("last_run_at"),
    nextRunAt: timestamp("next_run_at"),
    runningSince: timestamp("running_since"),
    runCount: integer("run_count").notNull().default(0),
    ...timestamps,
  },
  (t) => [index("automation_jobs_user_idx").on(t.userId), index("automation_jobs_due_idx").on(t.isActive, t.nextRunAt), index("automation_jobs_source_idx").on(t.sourceId)],
);

/** One execution of an automation job (scheduled, run-now or dry run) and what it did. */
export const automationJobRuns = sqliteTable(
  "automation_job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: integer("job_id")
      .notNull()
      .references(() => automationJobs.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    mode: text("mode", { enum: ["scheduled", "manual", "dry_run"] }).notNull(),
    status: text("status", { enum: ["running", "completed", "failed"] }).notNull(),
    scheduledFor: timestamp("scheduled_for"),
    startedAt: timestamp("started_at").notNull(),
    finishedAt: timestamp("finished_at"),
    result: text("result", { mode: "json" }).$type<Json>(),
    error: text("error"),
  },
  (t) => [index("automation_job_runs_job_idx").on(t.jobId, t.startedAt), index("automation_job_runs_user_idx").on(t.userId)],
);

/** Admin actions (plan changes, overrides, deactivation): who did what to whom, and when. */
export const adminAuditLog = sqliteTable(
  "admin_audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    targetUserId: text("target_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    details: text("details", { mode: "json" }).$type<Json>(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("admin_audit_log_target_idx").on(t.targetUserId, t.createdAt), index("admin_audit_log_created_idx").on(t.createdAt)],
);
