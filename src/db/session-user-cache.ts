import type { users } from "./schema";

type UserRow = typeof users.$inferSelect;

/**
 * How long an isolate trusts a live session it has read from D1: the bound on how late a change made
 * through another isolate (a revoked session, a deactivated or edited account) is seen here. A
 * change made through this isolate is seen at once: the repositories that write sessions or users
 * forget the affected entries.
 */
export const SESSION_USER_TTL_MS = 5_000;
const MAX_ENTRIES = 2_000;

interface Entry {
  user: UserRow;
  /** Epoch ms after which the entry is read again (never past the session's own expiry). */
  until: number;
  /** The D1 bookmark the row was read at. */
  bookmark: string | null;
}

const bySession = new Map<string, Entry>();

/**
 * The user of a live session this isolate read less than SESSION_USER_TTL_MS ago. A request whose
 * bookmark is newer than the entry's (its client saw a later write, perhaps its own, perhaps made
 * elsewhere) reads again, so read-your-writes holds for clients that send their bookmark.
 */
export function cachedSessionUser(sessionId: string, userId: string, nowMs: number, requestBookmark: string | null): UserRow | undefined {
  const entry = bySession.get(sessionId);
  if (!entry) return undefined;
  if (entry.user.id !== userId || nowMs >= entry.until) {
    bySession.delete(sessionId);
    return undefined;
  }
  if (requestBookmark !== null && (entry.bookmark === null || requestBookmark > entry.bookmark)) return undefined;
  return entry.user;
}

export function rememberSessionUser(sessionId: string, user: UserRow, nowMs: number, sessionExpiresAtMs: number, bookmark: string | null): void {
  bySession.delete(sessionId);
  if (bySession.size >= MAX_ENTRIES) {
    const oldest = bySession.keys().next();
    if (!oldest.done) bySession.delete(oldest.value);
  }
  bySession.set(sessionId, { user, until: Math.min(nowMs + SESSION_USER_TTL_MS, sessionExpiresAtMs), bookmark });
}

export function forgetSession(sessionId: string): void {
  bySession.delete(sessionId);
}

/** Every cached session of a user: their row changed, or their sessions were revoked. */
export function forgetUser(userId: string): void {
  for (const [sessionId, entry] of bySession) if (entry.user.id === userId) bySession.delete(sessionId);
}
