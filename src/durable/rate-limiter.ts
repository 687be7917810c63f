import { DurableObject } from "cloudflare:workers";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** How a failure counter turns consecutive failures into waiting time. */
export interface FailurePolicy {
  /** Failures absorbed before each further attempt has to wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it … */
  baseDelayMs: number;
  /** … up to this cap, so a lock always ends by itself. */
  maxDelayMs: number;
  /** A quiet period (after the last failure, or after its lock ended) that forgets the count. */
  forgetAfterMs: number;
}

export interface AttemptDecision {
  allowed: boolean;
  /** Failures counted so far, this attempt included (it counts until `clearFailures`). */
  failures: number;
  retryAfterSeconds: number;
}

/** Doublings past which the delay is the cap whatever the base (2^40 ms is 35 years). */
const MAX_DOUBLINGS = 40;

/**
 * One object per rate-limited key (a user, a client address, a login e-mail). Two kinds of state,
 * each a single row read-checked-written synchronously inside one call, so the object's input
 * gate makes every call atomic and counting is exact under any concurrency:
 *
 * - GCRA (the generic cell rate algorithm, `consume`/`refund`): the whole state is one number, the
 *   theoretical arrival time (TAT). It admits `limit` requests per `periodMs` with bursts up to
 *   `limit`, and computes an exact Retry-After.
 * - A failure counter (`beginAttempt`/`clearFailures`) with exponentially growing, capped locks.
 */
export class RateLimiter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.createTables();
  }

  private createTables(): void {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS gcra (id INTEGER PRIMARY KEY CHECK (id = 1), tat INTEGER NOT NULL)");
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS failures (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL,
        locked_until INTEGER NOT NULL, forget_at INTEGER NOT NULL)`,
    );
  }

  async consume(limit: number, periodMs: number, nowMs: number = Date.now()): Promise<RateLimitDecision> {
    const interval = periodMs / limit;
    const tat = Math.max(this.readTat() ?? nowMs, nowMs);
    const nextTat = tat + interval;
    const excess = nextTat - nowMs - periodMs;
    if (excess > 0) {
      return { allowed: false, limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(excess / 1000)) };
    }
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO gcra (id, tat) VALUES (1, ?)", nextTat);
    await this.scheduleCleanup(nextTat);
    const remaining = Math.floor((periodMs - (nextTat - nowMs)) / interval);
    return { allowed: true, limit, remaining: Math.max(0, remaining), retryAfterSeconds: 0 };
  }

  /**
   * Gives back one unit an earlier `consume` took: callers reserve a unit before an attempt (so
   * parallel attempts cannot overshoot the limit) and refund it when the attempt turns out not
   * to count, e.g. a login that succeeded.
   */
  async refund(limit: number, periodMs: number, nowMs: number = Date.now()): Promise<void> {
    const tat = this.readTat();
    if (tat === undefined) return;
    const earlier = tat - periodMs / limit;
    if (earlier <= nowMs) this.ctx.storage.sql.exec("DELETE FROM gcra WHERE id = 1");
    else this.ctx.storage.sql.exec("UPDATE gcra SET tat = ? WHERE id = 1", earlier);
  }

  /**
   * Admits an attempt unless a lock is running, and counts it as a failure at once: parallel
   * attempts therefore cannot all slip through before the first failure is recorded. The caller
   * calls `clearFailures` when the attempt succeeds. Once `freeFailures` are counted, each one
   * locks the key for base·2^(failures − free) ms, capped; refused attempts do not count.
   */
  async beginAttempt(policy: FailurePolicy, nowMs: number = Date.now()): Promise<AttemptDecision> {
    const row = this.ctx.storage.sql
      .exec<{ count: number; locked_until: number; forget_at: number }>("SELECT count, locked_until, forget_at FROM failures WHERE id = 1")
      .toArray()[0];
    const live = row !== undefined && row.forget_at > nowMs ? row : undefined;
    if (live && live.locked_until > nowMs) {
      return { allowed: false, failures: live.count, retryAfterSeconds: Math.max(1, Math.ceil((live.locked_until - nowMs) / 1000)) };
    }
    const failures = (live?.count ?? 0) + 1;
    const doublings = Math.min(failures - policy.freeFailures, MAX_DOUBLINGS);
    const delay = doublings < 0 ? 0 : Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs);
    // A free failure locks nothing. (Not `nowMs`: parallel attempts reach the object out of the order
    // of their callers' clocks, and a "lock until now" would refuse one that started a moment earlier.)
    const lockedUntil = delay === 0 ? 0 : nowMs + delay;
    const forgetAt = Math.max(lockedUntil, nowMs) + policy.forgetAfterMs;
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO failures (id, count, locked_until, forget_at) VALUES (1, ?, ?, ?)",
      failures,
      lockedUntil,
      forgetAt,
    );
    await this.scheduleCleanup(forgetAt);
    return { allowed: true, failures, retryAfterSeconds: 0 };
  }

  /** Forgets the failure count and any running lock (a successful attempt, a password reset). */
  async clearFailures(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM failures WHERE id = 1");
  }

  private readTat(): number | undefined {
    return this.ctx.storage.sql.exec<{ tat: number }>("SELECT tat FROM gcra WHERE id = 1").toArray()[0]?.tat;
  }

  /** The moment after which this key holds nothing worth keeping. */
  private expiresAt(): number | undefined {
    const forgetAt = this.ctx.storage.sql.exec<{ forget_at: number }>("SELECT forget_at FROM failures WHERE id = 1").toArray()[0]?.forget_at;
    const tat = this.readTat();
    if (forgetAt === undefined) return tat;
    return tat === undefined ? forgetAt : Math.max(tat, forgetAt);
  }

  /**
   * Idle keys leave no storage behind. One pending alarm is enough: it re-arms itself while the
   * key is still in use.
   */
  private async scheduleCleanup(at: number): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    const expiresAt = this.expiresAt();
    if (expiresAt !== undefined && expiresAt > Date.now()) {
      await this.ctx.storage.setAlarm(expiresAt);
      return;
    }
    await this.ctx.storage.deleteAll();
    this.createTables(); // this instance may keep serving requests after the wipe
  }
}
