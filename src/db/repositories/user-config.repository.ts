import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { userConfigs } from "../schema";

export type UserConfigRow = typeof userConfigs.$inferSelect;

/** The tenant's stored configuration overrides (merged over the defaults when read). */
export class UserConfigRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /** Returns the row, creating an empty one for users who predate it. */
  async getOrCreate(now: Date): Promise<UserConfigRow> {
    const existing = await this.db.select().from(userConfigs).where(eq(userConfigs.userId, this.userId)).get();
    if (existing) return existing;
    return this.db
      .insert(userConfigs)
      .values({ userId: this.userId, configData: {}, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: userConfigs.userId, set: { updatedAt: now } })
      .returning()
      .get();
  }

  async save(configData: Record<string, unknown>, now: Date): Promise<UserConfigRow> {
    return this.db
      .insert(userConfigs)
      .values({ userId: this.userId, configData, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: userConfigs.userId, set: { configData, updatedAt: now } })
      .returning()
      .get();
  }
}
