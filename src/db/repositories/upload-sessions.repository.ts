import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { uploadSessions } from "../schema";

export type UploadSessionRow = typeof uploadSessions.$inferSelect;

export class UploadSessionsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async insert(values: Omit<typeof uploadSessions.$inferInsert, "userId">): Promise<UploadSessionRow> {
    return this.db
      .insert(uploadSessions)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async get(id: string): Promise<UploadSessionRow | undefined> {
    return this.db
      .select()
      .from(uploadSessions)
      .where(and(eq(uploadSessions.id, id), eq(uploadSessions.userId, this.userId)))
      .get();
  }

  /**
   * Records one uploaded part. Uses SQLite's json_set so that parts uploaded in parallel do not
   * overwrite each other's entries (a read-modify-write of the whole map would lose updates).
   */
  async recordPart(id: string, partNumber: number, etag: string, size: number, now: Date): Promise<void> {
    const path = `$."${partNumber}"`;
    await this.db
      .update(uploadSessions)
      .set({
        parts: sql`json_set(${uploadSessions.parts}, ${path}, json_object('etag', ${etag}, 'size', ${size}))`,
        updatedAt: now,
      })
      .where(and(eq(uploadSessions.id, id), eq(uploadSessions.userId, this.userId), eq(uploadSessions.status, "uploading")))
      .run();
  }

  /** Compare-and-set out of "uploading"; false if another request completed or aborted it first. */
  async finish(id: string, status: "completed" | "aborted", now: Date): Promise<boolean> {
    const row = await this.db
      .update(uploadSessions)
      .set({ status, updatedAt: now })
      .where(and(eq(uploadSessions.id, id), eq(uploadSessions.userId, this.userId), eq(uploadSessions.status, "uploading")))
      .returning({ id: uploadSessions.id })
      .get();
    return row !== undefined;
  }
}
