import { SubscriptionRepository } from "../../db/repositories/subscription.repository";
import type { ServiceContext } from "../context";

/** The user's UserQuota Durable Object (run slots, stored bytes, monthly counters). */
export const userQuota = (ctx: ServiceContext, userId: string) => ctx.env.USER_QUOTA.get(ctx.env.USER_QUOTA.idFromName(userId));

/**
 * Tries to take one of the user's concurrent-run slots (plan limit `max_concurrent_tasks`) for a
 * run, through the user's Durable Object so simultaneous starts cannot both take the last slot.
 * Idempotent per run key.
 */
export async function tryReserveRunSlot(ctx: ServiceContext, userId: string, runKey: string) {
  const limits = await new SubscriptionRepository(ctx.db, userId).limits();
  return userQuota(ctx, userId).acquireSlot(runKey, limits.concurrentTasks);
}

export async function releaseRunSlot(ctx: ServiceContext, userId: string, runKey: string): Promise<void> {
  await userQuota(ctx, userId).releaseSlot(runKey);
}

/** Counts bytes as they are stored (negative when freed). */
export async function recordStoredBytes(ctx: ServiceContext, userId: string, delta: number): Promise<number> {
  return userQuota(ctx, userId).addStorageBytes(delta);
}

export async function quotaUsage(ctx: ServiceContext, userId: string) {
  return userQuota(ctx, userId).usage();
}
