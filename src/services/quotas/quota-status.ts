import { userQuota } from "./run-slots";
import { SubscriptionRepository } from "../../db/repositories/subscription.repository";
import { AutomationRepository } from "../../db/repositories/automation.repository";
import { QuotaUsageRepository } from "../../db/repositories/quota-usage.repository";
import type { ServiceContext } from "../context";
import { periodOf } from "./quota.service";

const GiB = 1024 ** 3;

const allowance = (used: number, limit: number | null) => ({ used, limit, available: limit === null ? null : Math.max(0, limit - used) });
const gb = (bytes: number | null) => (bytes === null ? null : Math.round((bytes / GiB) * 1000) / 1000);

/** `GET /users/me/quota`: every limit (NULL = unlimited) with live usage from the user's Durable Object. */
export async function quotaStatus(ctx: ServiceContext, userId: string) {
  const period = periodOf(ctx.clock.now());
  const stub = userQuota(ctx, userId);
  const [limits, live, monthly, jobs] = await Promise.all([
    new SubscriptionRepository(ctx.db, userId).limits(),
    stub.usage(),
    stub.monthlyUsage(period),
    new AutomationRepository(ctx.db, userId).count(),
  ]);
  const storage = allowance(live.storageBytes, limits.storageBytes);
  const transcriptionLimitMinutes = limits.transcriptionSecondsPerMonth === null ? null : limits.transcriptionSecondsPerMonth / 60;
  return {
    plan: limits.planName,
    period,
    recordings: allowance(monthly.recordings, limits.recordingsPerMonth),
    storage: {
      used_bytes: storage.used,
      limit_bytes: storage.limit,
      available_bytes: storage.available,
      used_gb: gb(storage.used)!,
      limit_gb: gb(storage.limit),
      available_gb: gb(storage.available),
    },
    transcription_minutes: allowance(Math.round((monthly.transcriptionSeconds / 60) * 100) / 100, transcriptionLimitMinutes),
    concurrent_tasks: allowance(live.activeRuns, limits.concurrentTasks),
    automation_jobs: allowance(jobs, limits.automationJobs),
  };
}

/** Monthly usage history, newest first (the rows the storage audit and the counters write). */
export async function quotaHistory(ctx: ServiceContext, userId: string, months: number) {
  const rows = await new QuotaUsageRepository(ctx.db, userId).history(months);
  return rows.map((r) => ({
    period: r.period,
    recordings_count: r.recordingsCount,
    transcription_seconds: r.transcriptionSeconds,
    storage_bytes: r.storageBytes,
    updated_at: r.updatedAt.toISOString(),
  }));
}
