import { and, asc, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Database } from "../client";
import { pendingNotifications, type NotificationKind } from "../schema";

export type PendingNotificationRow = typeof pendingNotifications.$inferSelect;

/** One tenant's pending e-mail notifications: every query carries the user id. */
export class NotificationsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /** Adds a line to the user's next batch; a pending line with the same dedupe key makes this a no-op. */
  async add(kind: NotificationKind, summary: string, now: Date, dedupeKey: string | null = null): Promise<boolean> {
    const rows = await this.db
      .insert(pendingNotifications)
      .values({ userId: this.userId, kind, summary, dedupeKey, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: pendingNotifications.id })
      .all();
    return rows.length > 0;
  }

  async unsent(limit: number): Promise<PendingNotificationRow[]> {
    return this.db
      .select()
      .from(pendingNotifications)
      .where(and(eq(pendingNotifications.userId, this.userId), isNull(pendingNotifications.sentAt)))
      .orderBy(asc(pendingNotifications.createdAt), asc(pendingNotifications.id))
      .limit(limit)
      .all();
  }

  async markSent(ids: number[], now: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += 90) {
      await this.db
        .update(pendingNotifications)
        .set({ sentAt: now })
        .where(and(eq(pendingNotifications.userId, this.userId), inArray(pendingNotifications.id, ids.slice(i, i + 90))))
        .run();
    }
  }
}

/** Users with unsent notifications older than `dueBefore` (cross-tenant: the flush cron). */
export async function usersWithDueNotifications(db: Database, dueBefore: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: pendingNotifications.userId })
    .from(pendingNotifications)
    .where(and(isNull(pendingNotifications.sentAt), lte(pendingNotifications.createdAt, dueBefore)))
    .limit(limit)
    .all();
  return rows.map((r) => r.userId);
}
