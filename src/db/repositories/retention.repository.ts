import { and, asc, eq, gt, inArray, isNotNull, lte, notExists, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { pipelineRuns, recordings, recordingTombstones, sourceMetadata, uploadSessions, users } from "../schema";

export interface RecordingRef {
  id: number;
  userId: string;
}

const ref = { id: recordings.id, userId: recordings.userId };
const hasMedia = or(isNotNull(recordings.sourceObjectKey), isNotNull(recordings.processedObjectKey), isNotNull(recordings.audioObjectKey));

/**
 * The cross-tenant queries of the retention sweeps (cron only: no request reaches this). Every
 * write is a compare-and-set on the state it expects, so a sweep that repeats or races a user's
 * restore changes nothing twice.
 */
export class RetentionRepository {
  constructor(private readonly db: Database) {}

  /** Active recordings past `expire_at`, skipping those with a run in flight (they expire next tick). */
  async dueForExpiry(now: Date, limit: number): Promise<RecordingRef[]> {
    const activeRun = this.db
      .select({ one: sql`1` })
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.recordingId, recordings.id), inArray(pipelineRuns.status, ["QUEUED", "RUNNING", "PAUSED"])));
    return this.db
      .select(ref)
      .from(recordings)
      .where(and(eq(recordings.deleted, false), isNotNull(recordings.expireAt), lte(recordings.expireAt, now), notExists(activeRun)))
      .orderBy(asc(recordings.expireAt))
      .limit(limit)
      .all();
  }

  async expire(r: RecordingRef, schedule: { deletedAt: Date; softDeletedAt: Date; hardDeleteAt: Date }, now: Date): Promise<boolean> {
    const row = await this.db
      .update(recordings)
      .set({ deleted: true, deleteState: "soft", deletionReason: "expired", expireAt: null, ...schedule, updatedAt: now })
      .where(and(eq(recordings.id, r.id), eq(recordings.userId, r.userId), eq(recordings.deleted, false), lte(recordings.expireAt, now)))
      .returning({ id: recordings.id })
      .get();
    return row !== undefined;
  }

  /**
   * Soft-deleted recordings whose restore window has passed, plus those a previous sweep claimed
   * ('hard') but did not finish (media keys still set).
   */
  async dueForCleanup(now: Date, limit: number): Promise<RecordingRef[]> {
    return this.db
      .select(ref)
      .from(recordings)
      .where(
        and(
          eq(recordings.deleted, true),
          lte(recordings.softDeletedAt, now),
          or(eq(recordings.deleteState, "soft"), and(eq(recordings.deleteState, "hard"), hasMedia)),
        ),
      )
      .orderBy(asc(recordings.softDeletedAt))
      .limit(limit)
      .all();
  }

  /** soft → hard before any object is touched, so a restore cannot race the deletion. */
  async claimCleanup(r: RecordingRef, now: Date): Promise<boolean> {
    const row = await this.db
      .update(recordings)
      .set({ deleteState: "hard", updatedAt: now })
      .where(and(eq(recordings.id, r.id), eq(recordings.userId, r.userId), eq(recordings.deleted, true), inArray(recordings.deleteState, ["soft", "hard"]), lte(recordings.softDeletedAt, now)))
      .returning({ id: recordings.id })
      .get();
    return row !== undefined;
  }

  /** After the media objects are gone: the row stops pointing at them (transcripts stay until the hard delete). */
  async markFilesCleaned(r: RecordingRef, now: Date): Promise<void> {
    await this.db
      .update(recordings)
      .set({ sourceObjectKey: null, processedObjectKey: null, audioObjectKey: null, updatedAt: now })
      .where(and(eq(recordings.id, r.id), eq(recordings.userId, r.userId), eq(recordings.deleteState, "hard")))
      .run();
  }

  async dueForHardDelete(now: Date, limit: number): Promise<RecordingRef[]> {
    return this.db
      .select(ref)
      .from(recordings)
      .where(and(eq(recordings.deleted, true), lte(recordings.hardDeleteAt, now)))
      .orderBy(asc(recordings.hardDeleteAt))
      .limit(limit)
      .all();
  }

  /**
   * Deletes the row (cascading to its stages, runs, targets and source metadata) and, in the same
   * batch, leaves a tombstone of its source key so neither Zoom sync nor a webhook re-creates it.
   */
  async hardDelete(r: RecordingRef, now: Date): Promise<boolean> {
    const source = await this.db
      .select({ sourceType: sourceMetadata.sourceType, sourceKey: sourceMetadata.sourceKey })
      .from(sourceMetadata)
      .where(and(eq(sourceMetadata.recordingId, r.id), eq(sourceMetadata.userId, r.userId)))
      .get();
    const remove = this.db
      .delete(recordings)
      .where(and(eq(recordings.id, r.id), eq(recordings.userId, r.userId), eq(recordings.deleted, true), lte(recordings.hardDeleteAt, now)))
      .returning({ id: recordings.id });
    if (!source) return (await remove.all()).length > 0;
    const [, removed] = await this.db.batch([
      this.db.insert(recordingTombstones).values({ userId: r.userId, ...source, deletedAt: now }).onConflictDoNothing(),
      remove,
    ]);
    return removed.length > 0;
  }

  async abandonedUploads(cutoff: Date, limit: number) {
    return this.db
      .select({ id: uploadSessions.id, userId: uploadSessions.userId })
      .from(uploadSessions)
      .where(and(eq(uploadSessions.status, "uploading"), lte(uploadSessions.updatedAt, cutoff)))
      .orderBy(asc(uploadSessions.updatedAt))
      .limit(limit)
      .all();
  }

  /** Users in id order after `cursor` (the storage audit walks all users a few per tick). */
  async usersAfter(cursor: string, limit: number): Promise<string[]> {
    const rows = await this.db.select({ id: users.id }).from(users).where(gt(users.id, cursor)).orderBy(asc(users.id)).limit(limit).all();
    return rows.map((r) => r.id);
  }

  /** Which of these recording ids still have a row (chunked: ≤ 100 bound parameters per statement). */
  async existingRecordingIds(userId: string, ids: number[]): Promise<Set<number>> {
    const found = new Set<number>();
    for (let i = 0; i < ids.length; i += 90) {
      const rows = await this.db
        .select({ id: recordings.id })
        .from(recordings)
        .where(and(eq(recordings.userId, userId), inArray(recordings.id, ids.slice(i, i + 90))))
        .all();
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  /** The R2 keys each row points at (to report rows whose objects are missing). */
  async objectPointers(userId: string, limit: number) {
    return this.db
      .select({
        id: recordings.id,
        keys: sql<string>`json_array(${recordings.sourceObjectKey}, ${recordings.processedObjectKey}, ${recordings.audioObjectKey}, ${recordings.transcriptObjectKey})`,
      })
      .from(recordings)
      .where(and(eq(recordings.userId, userId), or(hasMedia, isNotNull(recordings.transcriptObjectKey))))
      .limit(limit)
      .all();
  }

  /** Recordings created in [from, to) that still have a row. */
  async countCreated(userId: string, from: Date, to: Date): Promise<number> {
    const row = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(recordings)
      .where(and(eq(recordings.userId, userId), sql`${recordings.createdAt} >= ${from.getTime()}`, sql`${recordings.createdAt} < ${to.getTime()}`))
      .get();
    return Number(row?.n ?? 0);
  }
}
