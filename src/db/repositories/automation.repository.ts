import { and, desc, asc, count, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { SubscriptionRepository } from "./subscription.repository";
import {
  automationJobRuns,
  automationJobs,
  inputSources,
  recordings,
  recordingTemplates,
  type RecordingStatus,
} from "../schema";

export type AutomationJobRow = typeof automationJobs.$inferSelect;
export type NewAutomationJob = Omit<typeof automationJobs.$inferInsert, "userId" | "id">;
export type AutomationRunRow = typeof automationJobRuns.$inferSelect;

export interface AutomationLimits {
  maxAutomationJobs: number | null;
  minAutomationIntervalHours: number | null;
}

/** Automation jobs of one tenant: every query carries the user id. */
export class AutomationRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  private own(id: number) {
    return and(eq(automationJobs.id, id), eq(automationJobs.userId, this.userId));
  }

  async list(activeOnly: boolean): Promise<AutomationJobRow[]> {
    return this.db
      .select()
      .from(automationJobs)
      .where(and(eq(automationJobs.userId, this.userId), activeOnly ? eq(automationJobs.isActive, true) : undefined))
      .orderBy(asc(automationJobs.createdAt), asc(automationJobs.id))
      .all();
  }

  async get(id: number): Promise<AutomationJobRow | undefined> {
    return this.db.select().from(automationJobs).where(this.own(id)).get();
  }

  async count(): Promise<number> {
    const row = await this.db.select({ n: count() }).from(automationJobs).where(eq(automationJobs.userId, this.userId)).get();
    return row?.n ?? 0;
  }

  async insert(values: NewAutomationJob): Promise<AutomationJobRow> {
    return this.db
      .insert(automationJobs)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async update(id: number, patch: Partial<NewAutomationJob>): Promise<AutomationJobRow | undefined> {
    return this.db.update(automationJobs).set(patch).where(this.own(id)).returning().get();
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.db.delete(automationJobs).where(this.own(id)).returning({ id: automationJobs.id }).all();
    return rows.length > 0;
  }

  /** Effective automation limits (custom value, including 0, over the plan; no subscription = the free plan). */
  async limits(): Promise<AutomationLimits> {
    const limits = await new SubscriptionRepository(this.db, this.userId).limits();
    return { maxAutomationJobs: limits.automationJobs, minAutomationIntervalHours: limits.minAutomationIntervalHours };
  }

  async sourceOf(id: number) {
    return this.db
      .select({ id: inputSources.id, sourceType: inputSources.sourceType })
      .from(inputSources)
      .where(and(eq(inputSources.id, id), eq(inputSources.userId, this.userId)))
      .get();
  }

  /** Which of these template ids the tenant owns. */
  async ownedTemplateIds(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ id: recordingTemplates.id })
      .from(recordingTemplates)
      .where(and(eq(recordingTemplates.userId, this.userId), inArray(recordingTemplates.id, ids)))
      .all();
    return rows.map((r) => r.id);
  }

  /**
   * Run-now claim: the same compare-and-set as the tick (not running, or running for over
   * `staleBefore`), without moving next_run_at.
   */
  async claimNow(id: number, now: Date, staleBefore: Date): Promise<AutomationJobRow | undefined> {
    return this.db
      .update(automationJobs)
      .set({ runningSince: now, updatedAt: now })
      .where(and(this.own(id), or(isNull(automationJobs.runningSince), lt(automationJobs.runningSince, staleBefore))))
      .returning()
      .get();
  }

  async insertRun(values: Omit<typeof automationJobRuns.$inferInsert, "userId" | "id">): Promise<AutomationRunRow> {
    return this.db
      .insert(automationJobRuns)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  /** Runs still marked running for a job being taken over (their consumer was lost): failed, with the reason. */
  async failAbandonedRuns(jobId: number, before: Date, now: Date): Promise<void> {
    await this.db
      .update(automationJobRuns)
      .set({ status: "failed", finishedAt: now, error: "The run was abandoned (no result within the time limit); a new run took over" })
      .where(and(eq(automationJobRuns.jobId, jobId), eq(automationJobRuns.userId, this.userId), eq(automationJobRuns.status, "running"), lt(automationJobRuns.startedAt, before)))
      .run();
  }

  async listRuns(jobId: number, limit: number): Promise<AutomationRunRow[]> {
    return this.db
      .select()
      .from(automationJobRuns)
      .where(and(eq(automationJobRuns.jobId, jobId), eq(automationJobRuns.userId, this.userId)))
      .orderBy(desc(automationJobRuns.startedAt), desc(automationJobRuns.id))
      .limit(limit)
      .all();
  }

  async getRun(id: number): Promise<AutomationRunRow | undefined> {
    return this.db
      .select()
      .from(automationJobRuns)
      .where(and(eq(automationJobRuns.id, id), eq(automationJobRuns.userId, this.userId)))
      .get();
  }

  /** Ends a run and releases the job in one batch: the job is free again exactly when its run is recorded. */
  async finishRun(jobId: number, runId: number, now: Date, outcome: { status: "completed" | "failed"; result: Record<string, unknown>; error: string | null }) {
    await this.db.batch([
      this.db
        .update(automationJobRuns)
        .set({ status: outcome.status, finishedAt: now, result: outcome.result, error: outcome.error })
        .where(and(eq(automationJobRuns.id, runId), eq(automationJobRuns.userId, this.userId), eq(automationJobRuns.status, "running"))),
      this.db
        .update(automationJobs)
        .set({ runningSince: null, lastRunAt: now, runCount: sql`${automationJobs.runCount} + 1`, updatedAt: now })
        .where(this.own(jobId)),
    ]);
  }

  /** Recordings of a source a job would process (oldest first). Empty `templateIds` = any template. */
  async candidateRecordings(options: { sourceId: number; statuses: RecordingStatus[]; templateIds: number[]; from: Date; to: Date; limit: number }) {
    return this.db
      .select({
        id: recordings.id,
        displayName: recordings.displayName,
        startTime: recordings.startTime,
        status: recordings.status,
        templateId: recordings.templateId,
      })
      .from(recordings)
      .where(
        and(
          eq(recordings.userId, this.userId),
          eq(recordings.inputSourceId, options.sourceId),
          inArray(recordings.status, options.statuses),
          eq(recordings.deleted, false),
          eq(recordings.blankRecord, false),
          options.templateIds.length > 0 ? inArray(recordings.templateId, options.templateIds) : undefined,
          gte(recordings.startTime, options.from),
          lte(recordings.startTime, options.to),
        ),
      )
      .orderBy(asc(recordings.startTime), asc(recordings.id))
      .limit(options.limit)
      .all();
  }
}

/** Cross-tenant queries of the minutely tick (the only ones without a user id). */
export class AutomationSchedulerRepository {
  constructor(private readonly db: Database) {}

  async due(now: Date, staleBefore: Date, limit: number): Promise<Array<{ id: number; userId: string }>> {
    return this.db
      .select({ id: automationJobs.id, userId: automationJobs.userId })
      .from(automationJobs)
      .where(
        and(
          eq(automationJobs.isActive, true),
          lte(automationJobs.nextRunAt, now),
          or(isNull(automationJobs.runningSince), lt(automationJobs.runningSince, staleBefore)),
        ),
      )
      .orderBy(asc(automationJobs.nextRunAt), asc(automationJobs.id))
      .limit(limit)
      .all();
  }

  /**
   * The tick's compare-and-set: still active, still due, not running (or stale). Moving next_run_at
   * in the same UPDATE is what makes a second tick at the same moment find nothing to claim.
   */
  async claimDue(id: number, now: Date, staleBefore: Date, nextRunAt: (job: AutomationJobRow) => Date | null): Promise<{ job: AutomationJobRow; scheduledFor: Date } | undefined> {
    const job = await this.db.select().from(automationJobs).where(eq(automationJobs.id, id)).get();
    if (!job || job.nextRunAt === null) return undefined;
    const claimed = await this.db
      .update(automationJobs)
      .set({ runningSince: now, nextRunAt: nextRunAt(job), updatedAt: now })
      .where(
        and(
          eq(automationJobs.id, id),
          eq(automationJobs.isActive, true),
          eq(automationJobs.nextRunAt, job.nextRunAt),
          lte(automationJobs.nextRunAt, now),
          or(isNull(automationJobs.runningSince), lt(automationJobs.runningSince, staleBefore)),
        ),
      )
      .returning()
      .get();
    return claimed ? { job: claimed, scheduledFor: job.nextRunAt } : undefined;
  }
}
