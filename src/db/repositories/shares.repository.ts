import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../client";
import { recordingShares } from "../schema";

export type ShareRow = typeof recordingShares.$inferSelect;
export type NewShare = Omit<typeof recordingShares.$inferInsert, "id" | "userId" | "viewCount" | "lastViewedAt" | "revokedAt">;

/** A tenant's share links. Every statement carries the user id. */
export class SharesRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async insert(values: NewShare): Promise<ShareRow> {
    return this.db
      .insert(recordingShares)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async listForRecording(recordingId: number): Promise<ShareRow[]> {
    return this.db
      .select()
      .from(recordingShares)
      .where(and(eq(recordingShares.userId, this.userId), eq(recordingShares.recordingId, recordingId)))
      .orderBy(desc(recordingShares.createdAt), desc(recordingShares.id))
      .all();
  }

  async get(recordingId: number, id: number): Promise<ShareRow | undefined> {
    return this.db
      .select()
      .from(recordingShares)
      .where(and(eq(recordingShares.id, id), eq(recordingShares.recordingId, recordingId), eq(recordingShares.userId, this.userId)))
      .get();
  }

  /** Revokes a link that is not revoked yet; undefined when it was already (or is not the tenant's). */
  async revoke(recordingId: number, id: number, now: Date): Promise<ShareRow | undefined> {
    return this.db
      .update(recordingShares)
      .set({ revokedAt: now, updatedAt: now })
      .where(
        and(eq(recordingShares.id, id), eq(recordingShares.recordingId, recordingId), eq(recordingShares.userId, this.userId), isNull(recordingShares.revokedAt)),
      )
      .returning()
      .get();
  }
}
