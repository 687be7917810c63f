import { userQuota } from "./run-slots";
import { SubscriptionRepository } from "../../db/repositories/subscription.repository";
import { QuotaUsageRepository, type QuotaLimits } from "../../db/repositories/quota-usage.repository";
import type { MonthlyCounter } from "../../durable/user-quota";
import { AppError } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { announceQuotaExceeded, announceQuotaUsage } from "../notifications/announcements";

export type QuotaName = "recordings_per_month" | "storage" | "transcription_minutes_per_month";


/** The calendar month (UTC) a usage belongs to, as `YYYYMM`. */
export function periodOf(date: Date): string {
  return `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

function secondsToNextPeriod(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * Over quota. Storage does not free itself by waiting, so it is 402 (PAYMENT_REQUIRED); monthly
 * allowances are 429 (RATE_LIMITED) with Retry-After at the start of the next month. The details
 * always carry the limit and the current usage.
 */
export function quotaExceeded(ctx: ServiceContext, name: QuotaName, limit: number, used: number, requested: number): AppError {
  const details = { quota: name, limit, used, requested };
  if (name === "storage") {
    return new AppError("PAYMENT_REQUIRED", `Storage quota exceeded: ${used} of ${limit} bytes used, ${requested} more requested`, { details });
  }
  const retryAfter = secondsToNextPeriod(ctx.clock.now());
  const what = name === "recordings_per_month" ? "recordings this month" : "transcription seconds this month";
  return new AppError("RATE_LIMITED", `Quota exceeded: ${used} of ${limit} ${what}`, { details, headers: { "Retry-After": String(retryAfter) } });
}

export async function quotaLimits(ctx: ServiceContext, userId: string): Promise<QuotaLimits> {
  return new SubscriptionRepository(ctx.db, userId).limits();
}

const COUNTER_QUOTA: Record<MonthlyCounter, QuotaName> = { recordings: "recordings_per_month", transcription_seconds: "transcription_minutes_per_month" };

/**
 * Takes `amount` of a monthly allowance in the user's Durable Object (atomic, never overshoots) and
 * mirrors it into `quota_usage` for the history. Returns the decision; nothing is counted when denied.
 */
export async function reserveMonthly(ctx: ServiceContext, userId: string, name: MonthlyCounter, amount = 1) {
  const limits = await quotaLimits(ctx, userId);
  const limit = name === "recordings" ? limits.recordingsPerMonth : limits.transcriptionSecondsPerMonth;
  const now = ctx.clock.now();
  const period = periodOf(now);
  const decision = await userQuota(ctx, userId).reserveMonthly(name, period, amount, limit);
  if (decision.granted) {
    await new QuotaUsageRepository(ctx.db, userId).add(period, name === "recordings" ? { recordings: amount } : { transcriptionSeconds: amount }, now);
    await announceQuotaUsage(ctx, userId, { name: COUNTER_QUOTA[name], period, limit, before: decision.used - amount, after: decision.used });
  } else {
    await announceQuotaExceeded(ctx, userId, { name: COUNTER_QUOTA[name], limit, used: decision.used, requested: amount });
  }
  return { ...decision, period, quota: COUNTER_QUOTA[name] };
}

/**
 * Counts usage that already happened (e.g. the seconds a finished transcription took), without a
 * limit check: the check belongs where the work starts (`transcriptionAllowanceLeft`).
 */
export async function addMonthlyUsage(ctx: ServiceContext, userId: string, name: MonthlyCounter, amount: number): Promise<number> {
  const now = ctx.clock.now();
  const period = periodOf(now);
  const decision = await userQuota(ctx, userId).reserveMonthly(name, period, amount, null);
  await new QuotaUsageRepository(ctx.db, userId).add(period, name === "recordings" ? { recordings: amount } : { transcriptionSeconds: amount }, now);
  const limits = await quotaLimits(ctx, userId);
  const limit = name === "recordings" ? limits.recordingsPerMonth : limits.transcriptionSecondsPerMonth;
  await announceQuotaUsage(ctx, userId, { name: COUNTER_QUOTA[name], period, limit, before: decision.used - amount, after: decision.used });
  return decision.used;
}

/** Gives a reservation back (the work it was taken for did not happen). */
export async function releaseMonthly(ctx: ServiceContext, userId: string, name: MonthlyCounter, period: string, amount = 1): Promise<void> {
  await userQuota(ctx, userId).releaseMonthly(name, period, amount);
  await new QuotaUsageRepository(ctx.db, userId).add(period, name === "recordings" ? { recordings: -amount } : { transcriptionSeconds: -amount }, ctx.clock.now());
}

/** Reserves one new recording of this month or throws 429 with the limit and usage. */
export async function requireRecordingQuota(ctx: ServiceContext, userId: string): Promise<{ period: string }> {
  const decision = await reserveMonthly(ctx, userId, "recordings");
  if (!decision.granted) throw quotaExceeded(ctx, "recordings_per_month", decision.limit ?? 0, decision.used, 1);
  return { period: decision.period };
}

/** Storage check before accepting `addBytes` more (0: "is anything left at all"). */
export async function storageCheck(ctx: ServiceContext, userId: string, addBytes: number) {
  const limits = await quotaLimits(ctx, userId);
  const used = (await userQuota(ctx, userId).usage()).storageBytes;
  const limit = limits.storageBytes;
  const allowed = limit === null || (addBytes > 0 ? used + addBytes <= limit : used < limit);
  return { allowed, used, limit };
}

export async function requireStorage(ctx: ServiceContext, userId: string, addBytes: number): Promise<void> {
  const check = await storageCheck(ctx, userId, addBytes);
  if (!check.allowed) await announceQuotaExceeded(ctx, userId, { name: "storage", limit: check.limit, used: check.used, requested: addBytes });
  if (!check.allowed) throw quotaExceeded(ctx, "storage", check.limit ?? 0, check.used, addBytes);
}

/** Is this month's transcription allowance used up? (checked before a run that transcribes) */
export async function transcriptionAllowanceLeft(ctx: ServiceContext, userId: string) {
  const limits = await quotaLimits(ctx, userId);
  const used = (await userQuota(ctx, userId).monthlyUsage(periodOf(ctx.clock.now()))).transcriptionSeconds;
  const limit = limits.transcriptionSecondsPerMonth;
  return { allowed: limit === null || used < limit, used, limit };
}
