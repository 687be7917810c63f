import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { releaseMonthly, reserveMonthly } from "./quota.service";

export interface NewRecordingQuota {
  denied: boolean;
  limit: number | null;
  used: number;
  /** Gives the reservation back (the row was not created after all); a no-op when nothing was taken. */
  release(): Promise<void>;
}

/**
 * Counts a recording that arrives without a user waiting for an answer (Zoom webhook or sync).
 * Never throws: if the quota object cannot be reached the recording is accepted uncounted, and
 * the storage audit raises the counter from D1 later.
 */
export async function countNewRecording(ctx: ServiceContext, userId: string): Promise<NewRecordingQuota> {
  try {
    const decision = await reserveMonthly(ctx, userId, "recordings");
    const release = decision.granted ? () => releaseMonthly(ctx, userId, "recordings", decision.period).catch(() => undefined) : async () => undefined;
    return { denied: !decision.granted, limit: decision.limit, used: decision.used, release };
  } catch (error) {
    log.warn("recording quota unavailable; the recording is accepted uncounted", { userId, error });
    return { denied: false, limit: null, used: 0, release: async () => undefined };
  }
}

/** What a quota-blocked recording carries in its source metadata (shown to the user, read by re-evaluation). */
export function quotaMark(quota: NewRecordingQuota): Record<string, unknown> {
  if (!quota.denied) return {};
  return { quota_exceeded: { quota: "recordings_per_month", limit: quota.limit, used: quota.used, reason: `Monthly recordings quota (${quota.limit}) reached` } };
}

