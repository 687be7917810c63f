import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { isUniqueViolation, type Database } from "../client";
import { ACTIVE_RUN_STATUSES, pipelineRuns, type RunStatus } from "../schema";

export type RunRow = typeof pipelineRuns.$inferSelect;
export type NewRun = Omit<typeof pipelineRuns.$inferInsert, "userId">;
export type RunPatch = Partial<Omit<NewRun, "id" | "recordingId" | "createdAt">>;

/** A tenant's pipeline runs; every statement carries the user id. */
export class RunsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  private byId(id: string) {
    return and(eq(pipelineRuns.id, id), eq(pipelineRuns.userId, this.userId));
  }

  /** Inserts a run; null when the recording already has an active one (the partial unique index). */
  async create(run: NewRun): Promise<RunRow | null> {
    try {
      return (await this.db.insert(pipelineRuns).values({ ...run, userId: this.userId }).returning().get()) ?? null;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async get(id: string): Promise<RunRow | undefined> {
    return this.db.select().from(pipelineRuns).where(this.byId(id)).get();
  }

  async active(recordingId: number): Promise<RunRow | undefined> {
    return this.db
      .select()
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.recordingId, recordingId), eq(pipelineRuns.userId, this.userId), inArray(pipelineRuns.status, ACTIVE_RUN_STATUSES)))
      .get();
  }

  async listForRecording(recordingId: number, limit: number): Promise<RunRow[]> {
    return this.db
      .select()
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.recordingId, recordingId), eq(pipelineRuns.userId, this.userId)))
      .orderBy(desc(pipelineRuns.createdAt), desc(pipelineRuns.id))
      .limit(limit)
      .all();
  }

  /** Compare-and-set: applies `patch` only while the run is in one of `from`. */
  async transition(id: string, from: readonly RunStatus[], patch: RunPatch): Promise<RunRow | undefined> {
    return this.db
      .update(pipelineRuns)
      .set(patch)
      .where(and(this.byId(id), inArray(pipelineRuns.status, from)))
      .returning()
      .get();
  }

  /** The user's oldest queued runs: the admission order when a run slot frees up. */
  async oldestQueued(limit: number): Promise<RunRow[]> {
    return this.db
      .select()
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.userId, this.userId), eq(pipelineRuns.status, "QUEUED")))
      .orderBy(asc(pipelineRuns.createdAt), asc(pipelineRuns.id))
      .limit(limit)
      .all();
  }

  async countByStatus(status: RunStatus): Promise<number> {
    const row = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(pipelineRuns)
      .where(and(eq(pipelineRuns.userId, this.userId), eq(pipelineRuns.status, status)))
      .get();
    return Number(row?.n ?? 0);
  }
}

/** Maintenance (all tenants): users with runs queued longer than `graceMs`, for the admission sweep. */
export async function usersWithWaitingRuns(db: Database, now: Date, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: pipelineRuns.userId })
    .from(pipelineRuns)
    .where(and(eq(pipelineRuns.status, "QUEUED"), lt(pipelineRuns.updatedAt, new Date(now.getTime() - graceMs))))
    .limit(limit)
    .all();
  return rows.map((r) => r.userId);
}

/** A run by id across tenants: only for callers that authenticated the id itself (a signed provider webhook). */
export async function runByVerifiedId(db: Database, id: string): Promise<RunRow | undefined> {
  return db.select().from(pipelineRuns).where(eq(pipelineRuns.id, id)).get();
}
