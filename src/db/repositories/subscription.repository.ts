import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { subscriptionPlans, userSubscriptions } from "../schema";

/** Every limit of §8.4; NULL means unlimited. */
export interface EffectiveLimits {
  planName: string | null;
  recordingsPerMonth: number | null;
  storageBytes: number | null;
  transcriptionSecondsPerMonth: number | null;
  concurrentTasks: number | null;
  automationJobs: number | null;
  minAutomationIntervalHours: number | null;
}

const GiB = 1024 ** 3;

/**
 * The tenant's effective plan limits: a custom value (including 0) overrides the plan, NULL
 * inherits it (⚠ LEAP's `custom or plan` made 0 fall back). A user without a subscription gets
 * the free plan's limits.
 */
export class SubscriptionRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async limits(): Promise<EffectiveLimits> {
    const row = await this.db
      .select({ plan: subscriptionPlans, sub: userSubscriptions })
      .from(userSubscriptions)
      .innerJoin(subscriptionPlans, eq(subscriptionPlans.id, userSubscriptions.planId))
      .where(eq(userSubscriptions.userId, this.userId))
      .get();
    const plan = row?.plan ?? (await this.db.select().from(subscriptionPlans).where(eq(subscriptionPlans.name, "free")).get());
    if (!plan) {
      return { planName: null, recordingsPerMonth: null, storageBytes: null, transcriptionSecondsPerMonth: null, concurrentTasks: null, automationJobs: null, minAutomationIntervalHours: null };
    }
    const sub = row?.sub;
    const pick = (custom: number | null | undefined, fallback: number | null) => (custom === null || custom === undefined ? fallback : custom);
    const storageGb = pick(sub?.customMaxStorageGb, plan.includedStorageGb);
    const minutes = pick(sub?.customMaxTranscriptionMinutesPerMonth, plan.includedTranscriptionMinutesPerMonth);
    return {
      planName: plan.name,
      recordingsPerMonth: pick(sub?.customMaxRecordingsPerMonth, plan.includedRecordingsPerMonth),
      storageBytes: storageGb === null ? null : storageGb * GiB,
      transcriptionSecondsPerMonth: minutes === null ? null : minutes * 60,
      concurrentTasks: pick(sub?.customMaxConcurrentTasks, plan.maxConcurrentTasks),
      automationJobs: pick(sub?.customMaxAutomationJobs, plan.maxAutomationJobs),
      minAutomationIntervalHours: pick(sub?.customMinAutomationIntervalHours, plan.minAutomationIntervalHours),
    };
  }
}
