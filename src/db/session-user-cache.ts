import type { users } from "./schema";

type UserRow = typeof users.$inferSelect;

/**
 * How long an isolate trusts a live session it has read from D1: the bound on how late a change made
 * through another isolate (a revoked session, a deactivated or edited account) is seen here. A
 * change made through this isolate is seen at once: the repositories that write sessions or users
 * forget the affected entries, and keep nothing of that user or session for the next
 * SESSION_USER_TTL_MS (a read racing the write, or served by a replica behind it, is not kept).
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
 * When a user's or session's rows last changed through this isolate (by user id and by session id).
 * For SESSION_USER_TTL_MS after a change nothing of theirs is kept: a read that raced the write, or
 * came from a replica that has not seen it yet, must not be remembered as current.
 */
const changedAt = new Map<string, number>();

function recentlyChanged(key: string, nowMs: number): boolean {
  const at = changedAt.get(key);
  if (at === undefined) return false;
  if (nowMs - at < SESSION_USER_TTL_MS) return true;
  changedAt.delete(key);
  return false;
}

function markChanged(key: string): void {
  changedAt.delete(key);
  if (changedAt.size >= MAX_ENTRIES) {
    const oldest = changedAt.keys().next();
    if (!oldest.done) changedAt.delete(oldest.value);
  }
  changedAt.set(key, Date.now());
}

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
  // A copy: a handler that changed the row it was given would otherwise change other requests' answers.
  return { ...entry.user };
}

export function rememberSessionUser(sessionId: string, user: UserRow, nowMs: number, sessionExpiresAtMs: number, bookmark: string | null): void {
  bySession.delete(sessionId);
  if (recentlyChanged(`u:${user.id}`, Date.now()) || recentlyChanged(`s:${sessionId}`, Date.now())) return;
  if (bySession.size >= MAX_ENTRIES) {
    const oldest = bySession.keys().next();
    if (!oldest.done) bySession.delete(oldest.value);
  }
  bySession.set(sessionId, { user, until: Math.min(nowMs + SESSION_USER_TTL_MS, sessionExpiresAtMs), bookmark });
}

export function forgetSession(sessionId: string): void {
  markChanged(`s:${sessionId}`);
  bySession.delete(sessionId);
}

/** Every cached session of a user: their row changed, or their sessions were revoked. */
export function forgetUser(userId: string): void {
  markChanged(`u:${userId}`);
  for (const [sessionId, entry] of bySession) if (entry.user.id === userId) bySession.delete(sessionId);
}
