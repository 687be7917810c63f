import { and, eq, lt, or, sql } from "drizzle-orm";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import type { Database } from "../client";
import { processingStages, type STAGE_TYPES } from "../schema";

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

  /**
   * (Re)opens a stage for a run with fresh progress: PENDING, PAUSED when the run is being paused
   * between stages, or SKIPPED when the run's plan leaves it out.
   */
  async open(recordingId: number, type: StageType, runId: string, now: Date, status: "PENDING" | "PAUSED" | "SKIPPED" = "PENDING", meta: Record<string, unknown> = {}): Promise<void> {
    const pauseRequestedAt = status === "PAUSED" ? now : null;
    await this.db
      .insert(processingStages)
      .values({ recordingId, userId: this.userId, stageType: type, runId, status, stageMeta: meta, pauseRequestedAt, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [processingStages.recordingId, processingStages.stageType],
        set: {
          runId,
          status,
          attempts: 0,
          failed: false,
          failedAt: null,
          failedReason: null,
          stageMeta: meta,
          leaseUntil: null,
          pauseRequestedAt,
          startedAt: null,
          completedAt: null,
          updatedAt: now,
        },
      })
      .run();
  }

  /**
   * Compare-and-set claim: PENDING, or IN_PROGRESS with an expired lease (its consumer died), becomes
   * IN_PROGRESS under a new lease. Two deliveries of one message can never both get it.
   */
  async claim(recordingId: number, type: StageType, runId: string, now: Date, leaseMs: number): Promise<StageRow | undefined> {
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
          eq(processingStages.runId, runId),
          or(eq(processingStages.status, "PENDING"), and(eq(processingStages.status, "IN_PROGRESS"), lt(processingStages.leaseUntil, now))),
        ),
      )
      .returning()
      .get();
  }

  /**
   * Saves progress. `release` hands the stage back for the next chunk's message: PENDING, or
   * PAUSED when a pause was requested meanwhile. Returns the status it left the stage in.
   */
  async progress(
    recordingId: number,
    type: StageType,
    meta: Record<string, unknown>,
    now: Date,
    release: boolean,
    countAttempt = false,
  ): Promise<string | undefined> {
    const row = await this.db
      .update(processingStages)
      .set({
        stageMeta: meta,
        updatedAt: now,
        ...(release
          ? { status: sql`CASE WHEN ${processingStages.pauseRequestedAt} IS NULL THEN 'PENDING' ELSE 'PAUSED' END`, leaseUntil: null }
          : {}),
        ...(countAttempt ? { attempts: sql`${processingStages.attempts} + 1` } : {}),
      })
      .where(this.where(recordingId, type))
      .returning({ status: processingStages.status })
      .get();
    return row?.status;
  }

  /** Pause: a waiting stage pauses at once, a running one after its current chunk. */
  async requestPause(recordingId: number, type: StageType, now: Date): Promise<boolean> {
    const row = await this.db
      .update(processingStages)
      .set({
        pauseRequestedAt: now,
        status: sql`CASE WHEN ${processingStages.status} = 'PENDING' THEN 'PAUSED' ELSE ${processingStages.status} END`,
        updatedAt: now,
      })
      .where(and(this.where(recordingId, type), or(eq(processingStages.status, "PENDING"), eq(processingStages.status, "IN_PROGRESS"))))
      .returning({ id: processingStages.id })
      .get();
    return row !== undefined;
  }

  /** Resume: clears the request; a paused stage becomes PENDING again (the caller enqueues it). */
  async resume(recordingId: number, type: StageType, now: Date): Promise<"resumed" | "still_running" | null> {
    const row = await this.db
      .update(processingStages)
      .set({
        pauseRequestedAt: null,
        status: sql`CASE WHEN ${processingStages.status} = 'PAUSED' THEN 'PENDING' ELSE ${processingStages.status} END`,
        updatedAt: now,
      })
      .where(and(this.where(recordingId, type), or(eq(processingStages.status, "PAUSED"), eq(processingStages.status, "IN_PROGRESS"), eq(processingStages.status, "PENDING"))))
      .returning({ status: processingStages.status })
      .get();
    if (!row) return null;
    return row.status === "PENDING" ? "resumed" : "still_running";
  }

  /** Cancels a stage that is not running right now (waiting or paused); false when a consumer holds it. */
  async cancelIfIdle(recordingId: number, type: StageType, now: Date): Promise<StageRow | undefined> {
    return this.db
      .update(processingStages)
      .set({ status: "CANCELLED", leaseUntil: null, pauseRequestedAt: null, updatedAt: now })
      .where(and(this.where(recordingId, type), or(eq(processingStages.status, "PENDING"), eq(processingStages.status, "PAUSED"))))
      .returning()
      .get();
  }

  async list(recordingId: number): Promise<StageRow[]> {
    return this.db
      .select()
      .from(processingStages)
      .where(and(eq(processingStages.recordingId, recordingId), eq(processingStages.userId, this.userId)))
      .all();
  }

  async deleteAll(recordingId: number): Promise<void> {
    await this.db.delete(processingStages).where(and(eq(processingStages.recordingId, recordingId), eq(processingStages.userId, this.userId))).run();
  }

  async finish(
    recordingId: number,
    type: StageType,
    outcome: { status: "COMPLETED" } | { status: "FAILED"; reason: string } | { status: "CANCELLED" },
    meta: Record<string, unknown>,
    now: Date,
  ) {
    await this.db
      .update(processingStages)
      .set({
        status: outcome.status,
        stageMeta: meta,
        leaseUntil: null,
        completedAt: outcome.status === "COMPLETED" ? now : null,
        failed: outcome.status === "FAILED",
        failedAt: outcome.status === "FAILED" ? now : null,
        failedReason: outcome.status === "FAILED" ? sanitizeProviderMessage(outcome.reason, 1000) : null,
        updatedAt: now,
      })
      .where(this.where(recordingId, type))
      .run();
  }

  async get(recordingId: number, type: StageType): Promise<StageRow | undefined> {
    return this.db.select().from(processingStages).where(this.where(recordingId, type)).get();
  }
}

/**
 * Maintenance (all tenants): stages whose consumer died (IN_PROGRESS past its lease) or whose
 * message was lost (PENDING untouched for `pendingGraceMs`).
 */
export async function findStalledStages(db: Database, now: Date, pendingGraceMs: number, limit: number) {
  return db
    .select({ recordingId: processingStages.recordingId, userId: processingStages.userId, stageType: processingStages.stageType, runId: processingStages.runId })
    .from(processingStages)
    .where(
      or(
        and(eq(processingStages.status, "IN_PROGRESS"), lt(processingStages.leaseUntil, now)),
        and(eq(processingStages.status, "PENDING"), lt(processingStages.updatedAt, new Date(now.getTime() - pendingGraceMs))),
      ),
    )
    .limit(limit)
    .all();
}
