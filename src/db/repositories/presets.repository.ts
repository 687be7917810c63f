import { and, asc, eq } from "drizzle-orm";
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
