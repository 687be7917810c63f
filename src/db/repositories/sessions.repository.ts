import { and, eq, gt, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { refreshTokens, sessions, users } from "../schema";
import { forgetSession } from "../session-user-cache";

/** The live session's user: the whole row, so a request that needs the profile reads it with the session check. */
export type SessionUser = typeof users.$inferSelect;

export type RotationResult =
  | { kind: "rotated"; sessionId: string; userId: string }
  | { kind: "reused"; sessionId: string; userId: string }
  | { kind: "invalid" };

/**
 * Sessions and their refresh tokens, addressed by opaque ids and token hashes (which identify
 * the tenant themselves). Listing and revoking "my sessions" goes through `TenantSessions`.
 */
export class SessionsRepository {
  constructor(private readonly db: Database) {}

  async create(input: {
    sessionId: string;
    userId: string;
    tokenHash: string;
    userAgent: string | null;
    now: Date;
    expiresAt: Date;
  }): Promise<void> {
    const { now, expiresAt } = input;
    await this.db.batch([
      this.db.insert(sessions).values({
        id: input.sessionId,
        userId: input.userId,
        userAgent: input.userAgent,
        createdAt: now,
        lastUsedAt: now,
        expiresAt,
      }),
      this.db.insert(refreshTokens).values({
        tokenHash: input.tokenHash,
        sessionId: input.sessionId,
        userId: input.userId,
        createdAt: now,
        expiresAt,
      }),
    ]);
  }

  /**
   * Compare-and-set rotation: exactly one caller can move a token from fresh to rotated, so two
   * concurrent refreshes with the same token never both succeed. A token that was already
   * rotated is a reuse (a stolen copy or a replay) and is reported as such.
   */
  async rotate(tokenHash: string, now: Date): Promise<RotationResult> {
    const claimed = await this.db
      .update(refreshTokens)
      .set({ rotatedAt: now })
      .where(
        and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.rotatedAt), gt(refreshTokens.expiresAt, now)),
      )
      .returning({ sessionId: refreshTokens.sessionId, userId: refreshTokens.userId })
      .get();
    if (claimed) return { kind: "rotated", ...claimed };
    const existing = await this.db
      .select({ sessionId: refreshTokens.sessionId, userId: refreshTokens.userId, rotatedAt: refreshTokens.rotatedAt })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
      .get();
    if (existing?.rotatedAt) return { kind: "reused", sessionId: existing.sessionId, userId: existing.userId };
    return { kind: "invalid" };
  }

  /** Adds the successor token and slides the session's expiry, atomically. */
  async issueSuccessor(input: { sessionId: string; userId: string; tokenHash: string; now: Date; expiresAt: Date }) {
    await this.db.batch([
      this.db.insert(refreshTokens).values({
        tokenHash: input.tokenHash,
        sessionId: input.sessionId,
        userId: input.userId,
        createdAt: input.now,
        expiresAt: input.expiresAt,
      }),
      this.db
        .update(sessions)
        .set({ lastUsedAt: input.now, expiresAt: input.expiresAt })
        .where(eq(sessions.id, input.sessionId)),
    ]);
  }

  /** The user behind a live session and when the session expires, or undefined if it is revoked, expired or gone. */
  async findLiveSessionUser(sessionId: string, userId: string, now: Date): Promise<{ user: SessionUser; expiresAt: Date } | undefined> {
    return this.db
      .select({ user: users, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.id, sessionId),
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, now),
          isNull(users.deletionRequestedAt),
        ),
      )
      .get();
  }

  async revoke(sessionId: string, reason: string, now: Date): Promise<void> {
    forgetSession(sessionId);
    await this.db
      .update(sessions)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
      .run();
  }

  /** The owner of a refresh token that still works: not rotated, not expired, its session live. */
  async findUsableTokenOwner(tokenHash: string, now: Date): Promise<{ sessionId: string; userId: string } | undefined> {
    return this.db
      .select({ sessionId: refreshTokens.sessionId, userId: refreshTokens.userId })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.rotatedAt),
          gt(refreshTokens.expiresAt, now),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, now),
        ),
      )
      .get();
  }

  async findSessionIdByToken(tokenHash: string): Promise<string | undefined> {
    const row = await this.db
      .select({ sessionId: refreshTokens.sessionId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
      .get();
    return row?.sessionId;
  }

  /**
   * Maintenance: removes sessions that expired or were revoked more than `graceMs` ago (their
   * tokens cascade), at most `limit` per call so a cron run stays bounded. Returns the count.
   */
  async purgeStale(now: Date, graceMs: number, limit: number): Promise<number> {
    const cutoff = new Date(now.getTime() - graceMs);
    const result = await this.db.run(sql`
      DELETE FROM ${sessions} WHERE ${sessions.id} IN (
        SELECT ${sessions.id} FROM ${sessions}
        WHERE ${or(lt(sessions.expiresAt, cutoff), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, cutoff)))}
        LIMIT ${limit})`);
    return result.meta.changes ?? 0;
  }
}
