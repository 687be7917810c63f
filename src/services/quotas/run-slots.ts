import { SubscriptionRepository } from "../../db/repositories/subscription.repository";
import { AppError } from "../../lib/errors";
import type { ServiceContext } from "../context";

const quota = (ctx: ServiceContext, userId: string) => ctx.env.USER_QUOTA.get(ctx.env.USER_QUOTA.idFromName(userId));

/**
 * Reserves one of the user's concurrent-run slots (plan limit `max_concurrent_tasks`) for a run,
 * through the user's Durable Object so simultaneous requests cannot both take the last slot.
 */
export async function reserveRunSlot(ctx: ServiceContext, userId: string, runKey: string): Promise<void> {
  const limits = await new SubscriptionRepository(ctx.db, userId).limits();
  const decision = await quota(ctx, userId).acquireSlot(runKey, limits.maxConcurrentTasks);
  if (!decision.granted) {
    throw new AppError("RATE_LIMITED", `Your plan runs ${decision.limit} recording(s) at a time; ${decision.active} running now. Try again when one finishes.`, {
      details: { limit: decision.limit, current: decision.active, plan: limits.planName },
      headers: { "Retry-After": "60" },
    });
  }
}

export async function releaseRunSlot(ctx: ServiceContext, userId: string, runKey: string): Promise<void> {
  await quota(ctx, userId).releaseSlot(runKey);
}

/** Counts bytes as they are stored (negative when freed). */
export async function recordStoredBytes(ctx: ServiceContext, userId: string, delta: number): Promise<number> {
  return quota(ctx, userId).addStorageBytes(delta);
}

export async function quotaUsage(ctx: ServiceContext, userId: string) {
  return quota(ctx, userId).usage();
}

export const downloadRunKey = (recordingId: number) => `recording:${recordingId}`;
