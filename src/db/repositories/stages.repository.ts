import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { processingStages, STAGE_TYPES } from "../schema";

export type StageRow = typeof processingStages.$inferSelect;
export type StageType = (typeof STAGE_TYPES)[number];

/** A tenant's processing stages; every statement carries the user id. */
export class StagesRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  private where(recordingId: number, type: StageType) {
    return and(eq(processingStages.recordingId, recordingId), eq(processingStages.userId, this.userId), eq(processingStages.stageType, type));
  }

  /** (Re)opens a stage as PENDING with fresh progress. */
  async open(recordingId: number, type: StageType, now: Date): Promise<void> {
    await this.db
      .insert(processingStages)
      .values({ recordingId, userId: this.userId, stageType: type, status: "PENDING", stageMeta: {}, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [processingStages.recordingId, processingStages.stageType],
        set: { status: "PENDING", attempts: 0, failed: false, failedAt: null, failedReason: null, stageMeta: {}, leaseUntil: null, startedAt: null, completedAt: null, updatedAt: now },
      })
      .run();
  }

  /**
   * Compare-and-set claim: PENDING, or IN_PROGRESS with an expired lease (its consumer died), becomes
   * IN_PROGRESS under a new lease. Two deliveries of one message can never both get it.
   */
  async claim(recordingId: number, type: StageType, now: Date, leaseMs: number): Promise<StageRow | undefined> {
    return this.db
      .update(processingStages)
      .set({
        status: "IN_PROGRESS",
        leaseUntil: new Date(now.getTime() + leaseMs),
        startedAt: sql`coalesce(${processingStages.startedAt}, ${now.getTime()})`,
        updatedAt: now,
      })
      .where(
        and(
          this.where(recordingId, type),
          or(eq(processingStages.status, "PENDING"), and(eq(processingStages.status, "IN_PROGRESS"), lt(processingStages.leaseUntil, now))),
        ),
      )
      .returning()
      .get();
  }

  /** Saves progress; `release` hands the stage back as PENDING for the next chunk's message. */
  async progress(recordingId: number, type: StageType, meta: Record<string, unknown>, now: Date, release: boolean, countAttempt = false): Promise<void> {
    await this.db
      .update(processingStages)
      .set({
        stageMeta: meta,
        updatedAt: now,
        ...(release ? { status: "PENDING" as const, leaseUntil: null } : {}),
        ...(countAttempt ? { attempts: sql`${processingStages.attempts} + 1` } : {}),
      })
      .where(this.where(recordingId, type))
      .run();
  }

  async finish(recordingId: number, type: StageType, outcome: { status: "COMPLETED" } | { status: "FAILED"; reason: string }, meta: Record<string, unknown>, now: Date) {
    await this.db
      .update(processingStages)
      .set({
        status: outcome.status,
        stageMeta: meta,
        leaseUntil: null,
        completedAt: outcome.status === "COMPLETED" ? now : null,
        failed: outcome.status === "FAILED",
        failedAt: outcome.status === "FAILED" ? now : null,
        failedReason: outcome.status === "FAILED" ? outcome.reason.slice(0, 1000) : null,
        updatedAt: now,
      })
      .where(this.where(recordingId, type))
      .run();
  }

  async get(recordingId: number, type: StageType): Promise<StageRow | undefined> {
    return this.db.select().from(processingStages).where(this.where(recordingId, type)).get();
  }
}
