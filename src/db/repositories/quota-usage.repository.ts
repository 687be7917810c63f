import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { quotaUsage, sourceMetadata } from "../schema";

export type QuotaUsageRow = typeof quotaUsage.$inferSelect;

/** Every limit of §8.4 (see SubscriptionRepository). */
export type { EffectiveLimits as QuotaLimits } from "./subscription.repository";

/** The tenant's monthly usage history (`quota_usage`, one row per YYYYMM). */
export class QuotaUsageRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /** Adds to a period's counters atomically (one upsert; concurrent adds never lose updates). */
  async add(period: string, delta: { recordings?: number; transcriptionSeconds?: number }, now: Date): Promise<void> {
    const recordings = delta.recordings ?? 0;
    const seconds = delta.transcriptionSeconds ?? 0;
    await this.db
      .insert(quotaUsage)
      .values({ userId: this.userId, period, recordingsCount: Math.max(0, recordings), transcriptionSeconds: Math.max(0, seconds), createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [quotaUsage.userId, quotaUsage.period],
        set: {
          recordingsCount: sql`max(0, ${quotaUsage.recordingsCount} + ${recordings})`,
          transcriptionSeconds: sql`max(0, ${quotaUsage.transcriptionSeconds} + ${seconds})`,
          updatedAt: now,
        },
      })
      .run();
  }

  /** Writes reconciled values for a period (counters are only raised: history never shrinks). */
  async reconcile(period: string, values: { recordings: number; transcriptionSeconds: number; storageBytes: number }, now: Date): Promise<void> {
    await this.db
      .insert(quotaUsage)
      .values({
        userId: this.userId,
        period,
        recordingsCount: values.recordings,
        transcriptionSeconds: values.transcriptionSeconds,
        storageBytes: values.storageBytes,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [quotaUsage.userId, quotaUsage.period],
        set: {
          recordingsCount: sql`max(${quotaUsage.recordingsCount}, ${values.recordings})`,
          transcriptionSeconds: sql`max(${quotaUsage.transcriptionSeconds}, ${values.transcriptionSeconds})`,
          storageBytes: values.storageBytes,
          updatedAt: now,
        },
      })
      .run();
  }

  /** Whether a recording was kept uncounted because the monthly quota was used up (`quota_exceeded` in its source metadata). */
  async isQuotaBlocked(recordingId: number): Promise<boolean> {
    const row = await this.db
      .select({ blocked: sql<number | null>`json_extract(${sourceMetadata.metadata}, '$.quota_exceeded') IS NOT NULL` })
      .from(sourceMetadata)
      .where(and(eq(sourceMetadata.recordingId, recordingId), eq(sourceMetadata.userId, this.userId)))
      .get();
    return Boolean(row?.blocked);
  }

  async clearQuotaMark(recordingId: number, now: Date): Promise<void> {
    await this.db
      .update(sourceMetadata)
      .set({ metadata: sql`json_remove(${sourceMetadata.metadata}, '$.quota_exceeded')`, updatedAt: now })
      .where(and(eq(sourceMetadata.recordingId, recordingId), eq(sourceMetadata.userId, this.userId)))
      .run();
  }

  async get(period: string): Promise<QuotaUsageRow | undefined> {
    return this.db
      .select()
      .from(quotaUsage)
      .where(and(eq(quotaUsage.userId, this.userId), eq(quotaUsage.period, period)))
      .get();
  }

  async history(limit: number): Promise<QuotaUsageRow[]> {
    return this.db.select().from(quotaUsage).where(eq(quotaUsage.userId, this.userId)).orderBy(desc(quotaUsage.period)).limit(limit).all();
  }
}
