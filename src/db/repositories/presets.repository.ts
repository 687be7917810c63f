import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../client";
import { outputPresets, userCredentials, type PresetPlatform } from "../schema";

export type PresetRow = typeof outputPresets.$inferSelect;
export type NewPreset = Omit<typeof outputPresets.$inferInsert, "userId" | "id">;
export type PresetCredential = Pick<typeof userCredentials.$inferSelect, "id" | "platform" | "isActive" | "needsReauth">;

/** Output presets of one tenant: every query carries the user id. */
export class PresetsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async list(options: { platform?: PresetPlatform; activeOnly: boolean }): Promise<PresetRow[]> {
    return this.db
      .select()
      .from(outputPresets)
      .where(
        and(
          eq(outputPresets.userId, this.userId),
          options.platform ? eq(outputPresets.platform, options.platform) : undefined,
          options.activeOnly ? eq(outputPresets.isActive, true) : undefined,
        ),
      )
      .orderBy(asc(outputPresets.createdAt), asc(outputPresets.id))
      .all();
  }

  async get(id: number): Promise<PresetRow | undefined> {
    return this.db
      .select()
      .from(outputPresets)
      .where(and(eq(outputPresets.id, id), eq(outputPresets.userId, this.userId)))
      .get();
  }

  /** Which of `ids` are presets of this tenant (one query; another tenant's id is simply absent). */
  async ownedIds(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .select({ id: outputPresets.id })
      .from(outputPresets)
      .where(and(eq(outputPresets.userId, this.userId), inArray(outputPresets.id, [...ids])))
      .all();
    return new Set(rows.map((r) => r.id));
  }

  /** A publication went out with this preset. */
  async recordUse(id: number, now: Date): Promise<void> {
    await this.db
      .update(outputPresets)
      .set({ lastUsedAt: now })
      .where(and(eq(outputPresets.id, id), eq(outputPresets.userId, this.userId)))
      .run();
  }

  async findByName(name: string): Promise<{ id: number } | undefined> {
    return this.db
      .select({ id: outputPresets.id })
      .from(outputPresets)
      .where(and(eq(outputPresets.userId, this.userId), eq(outputPresets.name, name)))
      .get();
  }

  async insert(values: NewPreset): Promise<PresetRow> {
    return this.db
      .insert(outputPresets)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async update(id: number, patch: Partial<NewPreset>): Promise<PresetRow | undefined> {
    return this.db
      .update(outputPresets)
      .set(patch)
      .where(and(eq(outputPresets.id, id), eq(outputPresets.userId, this.userId)))
      .returning()
      .get();
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.db
      .delete(outputPresets)
      .where(and(eq(outputPresets.id, id), eq(outputPresets.userId, this.userId)))
      .returning({ id: outputPresets.id })
      .all();
    return rows.length > 0;
  }

  /** A credential of this tenant (another tenant's id is simply not found). */
  async findCredential(id: number): Promise<PresetCredential | undefined> {
    return this.db
      .select({
        id: userCredentials.id,
        platform: userCredentials.platform,
        isActive: userCredentials.isActive,
        needsReauth: userCredentials.needsReauth,
      })
      .from(userCredentials)
      .where(and(eq(userCredentials.id, id), eq(userCredentials.userId, this.userId)))
      .get();
  }
}
