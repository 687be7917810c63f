import { userQuota } from "./run-slots";
import type { StageType } from "../../db/repositories/stages.repository";
import type { ServiceContext } from "../context";
import { QuotaUsageRepository } from "../../db/repositories/quota-usage.repository";
import { periodOf, quotaExceeded, quotaLimits, reserveMonthly, storageCheck, transcriptionAllowanceLeft, type QuotaName } from "./quota.service";

export interface RunQuotaRefusal {
  status: 402 | 429;
  reason: string;
  quota: { name: QuotaName; limit: number; used: number };
}

/**
 * Why a run must not start: a recording that arrived over the monthly quota (until there is room), for quota reasons (§8.4): no storage left (402: every run writes
 * objects), or this month's transcription allowance used up when the run transcribes (429).
 */
export async function runQuotaRefusal(ctx: ServiceContext, userId: string, recordingId: number, stages: readonly StageType[]): Promise<RunQuotaRefusal | null> {
  if (await new QuotaUsageRepository(ctx.db, userId).isQuotaBlocked(recordingId)) {
    const limit = (await quotaLimits(ctx, userId)).recordingsPerMonth;
    const stub = userQuota(ctx, userId);
    const used = (await stub.monthlyUsage(periodOf(ctx.clock.now()))).recordings;
    if (limit !== null && used >= limit) {
      return {
        status: 429,
        reason: `Monthly recordings quota exceeded (${used} of ${limit}): this recording arrived over quota and can be processed when there is room`,
        quota: { name: "recordings_per_month", limit, used },
      };
    }
  }
  const storage = await storageCheck(ctx, userId, 0);
  if (!storage.allowed && storage.limit !== null) {
    return {
      status: 402,
      reason: `Storage quota exceeded: ${storage.used} of ${storage.limit} bytes used`,
      quota: { name: "storage", limit: storage.limit, used: storage.used },
    };
  }
  if (stages.includes("TRANSCRIBE")) {
    const minutes = await transcriptionAllowanceLeft(ctx, userId);
    if (!minutes.allowed && minutes.limit !== null) {
      return {
        status: 429,
        reason: `Transcription quota exceeded: ${minutes.used} of ${minutes.limit} seconds used this month`,
        quota: { name: "transcription_minutes_per_month", limit: minutes.limit, used: minutes.used },
      };
    }
  }
  return null;
}

/**
 * A recording that arrived over the monthly quota is counted when its first run starts (the
 * reservation is atomic, so two starts cannot both take the last place), and loses its mark.
 */
export async function admitQuotaBlockedRecording(ctx: ServiceContext, userId: string, recordingId: number): Promise<void> {
  const repo = new QuotaUsageRepository(ctx.db, userId);
  if (!(await repo.isQuotaBlocked(recordingId))) return;
  const decision = await reserveMonthly(ctx, userId, "recordings");
  if (!decision.granted) throw quotaExceeded(ctx, "recordings_per_month", decision.limit ?? 0, decision.used, 1);
  await repo.clearQuotaMark(recordingId, ctx.clock.now());
}
