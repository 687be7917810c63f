import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../client";
import { outputTargets, type TARGET_TYPES } from "../schema";

export type OutputTargetRow = typeof outputTargets.$inferSelect;
export type TargetType = (typeof TARGET_TYPES)[number];
export type OutputTargetPatch = Partial<Omit<typeof outputTargets.$inferInsert, "id" | "userId" | "recordingId" | "createdAt">>;

/**
 * A tenant's publications (output_targets): one per (recording, platform, preset), the key that
 * keeps a redelivered or retried upload from publishing twice. Every statement carries the user
 * id (⚠ LEAP's get_or_create had no user filter).
 */
export class OutputsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async list(recordingId: number): Promise<OutputTargetRow[]> {
    return this.db
      .select()
      .from(outputTargets)
      .where(and(eq(outputTargets.recordingId, recordingId), eq(outputTargets.userId, this.userId)))
      .orderBy(asc(outputTargets.id))
      .all();
  }

  async get(id: number): Promise<OutputTargetRow | undefined> {
    return this.db.select().from(outputTargets).where(and(eq(outputTargets.id, id), eq(outputTargets.userId, this.userId))).get();
  }

  /** The target of (recording, platform, preset), created NOT_UPLOADED when missing. */
  async ensure(recordingId: number, targetType: TargetType, presetId: number | null, now: Date): Promise<OutputTargetRow> {
    const where = and(
      eq(outputTargets.recordingId, recordingId),
      eq(outputTargets.userId, this.userId),
      eq(outputTargets.targetType, targetType),
      presetId === null ? isNull(outputTargets.presetId) : eq(outputTargets.presetId, presetId),
    );
    const existing = await this.db.select().from(outputTargets).where(where).get();
    if (existing) return existing;
    await this.db
      .insert(outputTargets)
      .values({ recordingId, userId: this.userId, targetType, presetId, status: "NOT_UPLOADED", targetMeta: {}, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .run();
    return (await this.db.select().from(outputTargets).where(where).get())!;
  }

  async update(id: number, patch: OutputTargetPatch): Promise<OutputTargetRow | undefined> {
    return this.db
      .update(outputTargets)
      .set(patch)
      .where(and(eq(outputTargets.id, id), eq(outputTargets.userId, this.userId)))
      .returning()
      .get();
  }
}
