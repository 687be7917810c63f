import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { Database } from "../client";
import { sessions } from "../schema";
import { forgetSession, forgetUser } from "../session-user-cache";

export type SessionRow = typeof sessions.$inferSelect;

/** The signed-in user's sessions (devices). */
export class TenantSessionsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async listLive(now: Date): Promise<SessionRow[]> {
    return this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, this.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
      .orderBy(desc(sessions.lastUsedAt))
      .all();
  }

  /** Revokes one session; false when it is not this user's or already revoked. */
  async revoke(sessionId: string, reason: string, now: Date): Promise<boolean> {
    forgetSession(sessionId);
    const row = await this.db
      .update(sessions)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, this.userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id })
      .get();
    return row !== undefined;
  }

  /** Revokes every live session, or every one except `keepSessionId`. Returns how many. */
  async revokeAll(reason: string, now: Date, keepSessionId?: string): Promise<number> {
    forgetUser(this.userId);
    const conditions = [eq(sessions.userId, this.userId), isNull(sessions.revokedAt)];
    if (keepSessionId) conditions.push(ne(sessions.id, keepSessionId));
    const rows = await this.db
      .update(sessions)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(...conditions))
      .returning({ id: sessions.id })
      .all();
    return rows.length;
  }
}
