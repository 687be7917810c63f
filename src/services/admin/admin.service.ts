import type { AuthContext } from "../../app-types";
import { AdminRepository } from "../../db/repositories/admin.repository";
import { forTenant } from "../../db/repositories/tenant";
import { badRequest, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { periodOf, quotaLimits } from "../quotas/quota.service";
import { quotaUsage } from "../quotas/run-slots";

/** The limits an admin may override per user (null: back to the plan's; 0 means zero, not "the plan's"). */
export interface SubscriptionChange {
  plan_name?: string;
  custom_max_recordings_per_month?: number | null;
  custom_max_storage_gb?: number | null;
  custom_max_transcription_minutes_per_month?: number | null;
  custom_max_concurrent_tasks?: number | null;
  custom_max_automation_jobs?: number | null;
  custom_min_automation_interval_hours?: number | null;
  notes?: string | null;
}

const COLUMNS = {
  custom_max_recordings_per_month: "customMaxRecordingsPerMonth",
  custom_max_storage_gb: "customMaxStorageGb",
  custom_max_transcription_minutes_per_month: "customMaxTranscriptionMinutesPerMonth",
  custom_max_concurrent_tasks: "customMaxConcurrentTasks",
  custom_max_automation_jobs: "customMaxAutomationJobs",
  custom_min_automation_interval_hours: "customMinAutomationIntervalHours",
} as const;

export async function listUsers(ctx: ServiceContext, query: { search?: string; plan_name?: string; page: number; page_size: number }) {
  return new AdminRepository(ctx.db).listUsers({ search: query.search, planName: query.plan_name, page: query.page, pageSize: query.page_size });
}

/** A user with plan, overrides and live usage (the UserQuota object's counters). */
export async function userDetail(ctx: ServiceContext, userId: string) {
  const row = await new AdminRepository(ctx.db).user(userId);
  if (!row) throw notFound("User");
  const [usage, limits] = await Promise.all([quotaUsage(ctx, userId), quotaLimits(ctx, userId)]);
  return { ...row, usage, limits };
}

/** Changes a user's plan and/or overrides; every change is written to the audit log with the old values. */
export async function changeSubscription(ctx: ServiceContext, admin: AuthContext, userId: string, change: SubscriptionChange) {
  const repo = new AdminRepository(ctx.db);
  const current = await repo.user(userId);
  if (!current) throw notFound("User");
  const planName = change.plan_name ?? current.plan?.name ?? "free";
  const plan = await repo.plan(planName);
  if (!plan) throw badRequest(`No plan named ${planName}`);
  const patch: Record<string, unknown> = { planId: plan.id };
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = change[field as keyof typeof COLUMNS];
    if (value !== undefined) patch[column] = value;
  }
  if (change.notes !== undefined) patch.notes = change.notes;
  const now = ctx.clock.now();
  await repo.upsertSubscription(userId, patch as { planId: number }, admin.userId, now);
  await repo.audit({
    actorId: admin.userId,
    targetUserId: userId,
    action: "subscription.changed",
    details: { before: { plan: current.plan?.name ?? null, ...(current.subscription ?? {}) }, change },
    now,
  });
  return userDetail(ctx, userId);
}

/** Deactivation signs the user out everywhere at once; reactivation lets them log in again. */
export async function setUserActive(ctx: ServiceContext, admin: AuthContext, userId: string, active: boolean) {
  if (userId === admin.userId && !active) throw badRequest("Administrators cannot deactivate themselves");
  const repo = new AdminRepository(ctx.db);
  const now = ctx.clock.now();
  if (!(await repo.setActive(userId, active, now))) throw notFound("User");
  const revoked = active ? 0 : await forTenant(ctx.db, userId).sessions.revokeAll("deactivated_by_admin", now);
  await repo.audit({ actorId: admin.userId, targetUserId: userId, action: active ? "user.reactivated" : "user.deactivated", details: { revoked_sessions: revoked }, now });
  return userDetail(ctx, userId);
}

export async function overview(ctx: ServiceContext) {
  return new AdminRepository(ctx.db).overview(ctx.clock.now());
}

/** A page of the audit log, newest first; `before` is the last id of the previous page. */
export async function auditLog(ctx: ServiceContext, filter: { targetUserId?: string; action?: string; before?: number }, limit: number) {
  const rows = await new AdminRepository(ctx.db).auditLog(filter, limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextBefore: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

const GiB = 1024 ** 3;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * LEAP's `GET /admin/stats/quotas` (§3.13): a month's usage per plan, from the `quota_usage`
 * history (storage as of the last storage audit of that month). This service has no
 * pay-as-you-go overage, so the overage cost is always 0.
 */
export async function quotaStats(ctx: ServiceContext, period = periodOf(ctx.clock.now())) {
  const rows = await new AdminRepository(ctx.db).usageByPlan(period);
  const plans = rows.map((r) => {
    const recordings = Number(r.recordings);
    const storageGb = Number(r.storageBytes) / GiB;
    return {
      plan_name: r.planName,
      total_users: r.users,
      total_recordings: recordings,
      total_storage_gb: round(storageGb, 3),
      total_transcription_minutes: round(Number(r.transcriptionSeconds) / 60, 2),
      avg_recordings_per_user: r.users > 0 ? round(recordings / r.users, 2) : 0,
      avg_storage_per_user_gb: r.users > 0 ? round(storageGb / r.users, 3) : 0,
    };
  });
  return {
    period,
    total_recordings: plans.reduce((sum, p) => sum + p.total_recordings, 0),
    total_storage_gb: round(rows.reduce((sum, r) => sum + Number(r.storageBytes), 0) / GiB, 3),
    total_transcription_minutes: round(rows.reduce((sum, r) => sum + Number(r.transcriptionSeconds), 0) / 60, 2),
    total_overage_cost: 0,
    plans,
  };
}
