import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { users } from "./users";

/**
 * Plans are global. Limits are NULL for "unlimited". Prices are integer cents (no floats for money).
 */
export const subscriptionPlans = sqliteTable("subscription_plans", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  displayName: text("display_name").notNull(),
  description: text("description"),
  includedRecordingsPerMonth: integer("included_recordings_per_month"),
  includedStorageGb: integer("included_storage_gb"),
  includedTranscriptionMinutesPerMonth: integer("included_transcription_minutes_per_month"),
  maxConcurrentTasks: integer("max_concurrent_tasks"),
  maxAutomationJobs: integer("max_automation_jobs"),
  minAutomationIntervalHours: integer("min_automation_interval_hours"),
  priceMonthlyCents: integer("price_monthly_cents").notNull().default(0),
  priceYearlyCents: integer("price_yearly_cents").notNull().default(0),
  isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
  sortOrder: integer("sort_order").notNull().default(0),
  ...timestamps,
});

/**
 * One subscription per user. `custom_*` override the plan when NOT NULL — a custom 0 means zero
 * (LEAP's `custom or plan` made 0 fall back to the plan).
 */
export const userSubscriptions = sqliteTable(
  "user_subscriptions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "cascade" }),
    planId: integer("plan_id")
      .notNull()
      .references(() => subscriptionPlans.id, { onDelete: "restrict" }),
    customMaxRecordingsPerMonth: integer("custom_max_recordings_per_month"),
    customMaxStorageGb: integer("custom_max_storage_gb"),
    customMaxTranscriptionMinutesPerMonth: integer("custom_max_transcription_minutes_per_month"),
    customMaxConcurrentTasks: integer("custom_max_concurrent_tasks"),
    customMaxAutomationJobs: integer("custom_max_automation_jobs"),
    customMinAutomationIntervalHours: integer("custom_min_automation_interval_hours"),
    payAsYouGoEnabled: integer("pay_as_you_go_enabled", { mode: "boolean" }).notNull().default(false),
    payAsYouGoMonthlyLimitCents: integer("pay_as_you_go_monthly_limit_cents"),
    startsAt: timestamp("starts_at").notNull(),
    expiresAt: timestamp("expires_at"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    modifiedBy: text("modified_by").references(() => users.id, { onDelete: "set null" }),
    notes: text("notes"),
    ...timestamps,
  },
  (t) => [index("user_subscriptions_plan_id_idx").on(t.planId)],
);

/**
 * Usage per user and month (`YYYYMM`), the history behind `GET /users/me/quota`: recordings
 * created, transcription seconds, and storage bytes as last reconciled. The live counters are in
 * the user's UserQuota Durable Object; this table is what survives and what admins report on.
 */
export const quotaUsage = sqliteTable(
  "quota_usage",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    recordingsCount: integer("recordings_count").notNull().default(0),
    transcriptionSeconds: integer("transcription_seconds").notNull().default(0),
    storageBytes: integer("storage_bytes").notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex("quota_usage_user_period_uq").on(t.userId, t.period)],
);
