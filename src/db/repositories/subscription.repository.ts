import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { subscriptionPlans, userSubscriptions } from "../schema";

export interface EffectiveLimits {
  planName: string | null;
  maxConcurrentTasks: number | null;
}

/** The tenant's plan limits; a custom value (including 0) overrides the plan, NULL inherits it. */
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
    if (!row) return { planName: null, maxConcurrentTasks: null };
    return {
      planName: row.plan.name,
      maxConcurrentTasks: row.sub.customMaxConcurrentTasks ?? row.plan.maxConcurrentTasks,
    };
  }
}
