import { and, count, desc, eq, gt, isNull, like, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { forgetUser } from "../session-user-cache";
import { adminAuditLog, quotaUsage, recordings, recordingShares, subscriptionPlans, userSubscriptions, users } from "../schema";

export type AuditRow = typeof adminAuditLog.$inferSelect;

/**
 * Cross-tenant reads and writes for administrators only (the admin routes require role=admin).
 * Everything a tenant can reach goes through forTenant; this is the one deliberate exception.
 */
export class AdminRepository {
  constructor(private readonly db: Database) {}

  async listUsers(options: { search?: string; planName?: string; page: number; pageSize: number }) {
    const where = and(
      options.search ? like(users.email, `%${options.search.toLowerCase()}%`) : undefined,
      options.planName ? eq(subscriptionPlans.name, options.planName) : undefined,
    );
    const base = this.db
      .select({
        id: users.id,
        email: users.email,
        fullName: users.fullName,
        role: users.role,
        isActive: users.isActive,
        createdAt: users.createdAt,
        lastLoginAt: users.lastLoginAt,
        planName: subscriptionPlans.name,
        recordings: sql<number>`(SELECT count(*) FROM ${recordings} WHERE ${recordings.userId} = ${users.id} AND ${recordings.deleted} = 0)`,
      })
      .from(users)
      .leftJoin(userSubscriptions, eq(userSubscriptions.userId, users.id))
      .leftJoin(subscriptionPlans, eq(subscriptionPlans.id, userSubscriptions.planId))
      .where(where);
    const [rows, total] = await Promise.all([
      base.orderBy(desc(users.createdAt)).limit(options.pageSize).offset((options.page - 1) * options.pageSize).all(),
      this.db
        .select({ n: count() })
        .from(users)
        .leftJoin(userSubscriptions, eq(userSubscriptions.userId, users.id))
        .leftJoin(subscriptionPlans, eq(subscriptionPlans.id, userSubscriptions.planId))
        .where(where)
        .get(),
    ]);
    return { rows, total: total?.n ?? 0 };
  }

  async user(id: string) {
    return this.db
      .select({ user: users, subscription: userSubscriptions, plan: subscriptionPlans })
      .from(users)
      .leftJoin(userSubscriptions, eq(userSubscriptions.userId, users.id))
      .leftJoin(subscriptionPlans, eq(subscriptionPlans.id, userSubscriptions.planId))
      .where(eq(users.id, id))
      .get();
  }

  async plan(name: string) {
    return this.db.select().from(subscriptionPlans).where(eq(subscriptionPlans.name, name)).get();
  }

  async setActive(id: string, isActive: boolean, now: Date): Promise<boolean> {
    forgetUser(id);
    const row = await this.db.update(users).set({ isActive, updatedAt: now }).where(eq(users.id, id)).returning({ id: users.id }).get();
    return row !== undefined;
  }

  async upsertSubscription(userId: string, patch: Partial<typeof userSubscriptions.$inferInsert> & { planId: number }, actorId: string, now: Date) {
    await this.db
      .insert(userSubscriptions)
      .values({ ...patch, userId, startsAt: now, createdBy: actorId, modifiedBy: actorId, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: userSubscriptions.userId, set: { ...patch, modifiedBy: actorId, updatedAt: now } })
      .run();
  }

  async audit(entry: { actorId: string; targetUserId: string | null; action: string; details: Record<string, unknown>; now: Date }): Promise<void> {
    await this.db.insert(adminAuditLog).values({ actorId: entry.actorId, targetUserId: entry.targetUserId, action: entry.action, details: entry.details, createdAt: entry.now }).run();
  }

  /** Newest first by id (ids grow with time); `before` pages on from an id of the previous page. */
  async auditLog(filter: { targetUserId?: string; action?: string; before?: number }, limit: number): Promise<AuditRow[]> {
    return this.db
      .select()
      .from(adminAuditLog)
      .where(
        and(
          filter.targetUserId ? eq(adminAuditLog.targetUserId, filter.targetUserId) : undefined,
          filter.action ? eq(adminAuditLog.action, filter.action) : undefined,
          filter.before !== undefined ? lt(adminAuditLog.id, filter.before) : undefined,
        ),
      )
      .orderBy(desc(adminAuditLog.id))
      .limit(limit)
      .all();
  }

  /** Per plan: its subscribers and their summed usage rows of one period (`YYYYMM`); plans without users included. */
  async usageByPlan(period: string) {
    return this.db
      .select({
        planName: subscriptionPlans.name,
        users: count(userSubscriptions.id),
        recordings: sql<number>`coalesce(sum(${quotaUsage.recordingsCount}), 0)`,
        storageBytes: sql<number>`coalesce(sum(${quotaUsage.storageBytes}), 0)`,
        transcriptionSeconds: sql<number>`coalesce(sum(${quotaUsage.transcriptionSeconds}), 0)`,
      })
      .from(subscriptionPlans)
      .leftJoin(userSubscriptions, eq(userSubscriptions.planId, subscriptionPlans.id))
      .leftJoin(quotaUsage, and(eq(quotaUsage.userId, userSubscriptions.userId), eq(quotaUsage.period, period)))
      .groupBy(subscriptionPlans.id)
      .orderBy(subscriptionPlans.sortOrder, subscriptionPlans.name)
      .all();
  }

  async overview(now: Date = new Date()) {
    const [usersRow, activeRow, recordingsRow, plans, sharesRow, liveSharesRow] = await Promise.all([
      this.db.select({ n: count() }).from(users).get(),
      this.db.select({ n: count() }).from(users).where(eq(users.isActive, true)).get(),
      this.db.select({ n: count() }).from(recordings).where(eq(recordings.deleted, false)).get(),
      this.db
        .select({ name: subscriptionPlans.name, n: count(userSubscriptions.id) })
        .from(subscriptionPlans)
        .leftJoin(userSubscriptions, eq(userSubscriptions.planId, subscriptionPlans.id))
        .groupBy(subscriptionPlans.name)
        .all(),
      this.db.select({ n: count() }).from(recordingShares).get(),
      // Links that work right now: not revoked, not expired, recording not deleted.
      this.db
        .select({ n: count() })
        .from(recordingShares)
        .innerJoin(recordings, eq(recordings.id, recordingShares.recordingId))
        .where(and(isNull(recordingShares.revokedAt), or(isNull(recordingShares.expiresAt), gt(recordingShares.expiresAt, now)), eq(recordings.deleted, false)))
        .get(),
    ]);
    return {
      totalUsers: usersRow?.n ?? 0,
      activeUsers: activeRow?.n ?? 0,
      totalRecordings: recordingsRow?.n ?? 0,
      usersByPlan: Object.fromEntries(plans.map((p) => [p.name, p.n])),
      totalShares: sharesRow?.n ?? 0,
      activeShares: liveSharesRow?.n ?? 0,
    };
  }
}
