import { DurableObject } from "cloudflare:workers";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * One object per rate-limited key (a user, a client IP, a login e-mail). GCRA (the generic cell
 * rate algorithm): the whole state is one number, the theoretical arrival time (TAT), so a check
 * is a single synchronous read-check-write that the object's input gate makes atomic. It admits
 * `limit` requests per `periodMs` with bursts up to `limit`, and computes an exact Retry-After.
 */
export class RateLimiter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.createTable();
  }

  private createTable(): void {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS gcra (id INTEGER PRIMARY KEY CHECK (id = 1), tat INTEGER NOT NULL)");
  }

  async consume(limit: number, periodMs: number, nowMs: number = Date.now()): Promise<RateLimitDecision> {
    const interval = periodMs / limit;
    const row = this.ctx.storage.sql.exec<{ tat: number }>("SELECT tat FROM gcra WHERE id = 1").toArray()[0];
    const tat = Math.max(row?.tat ?? nowMs, nowMs);
    const nextTat = tat + interval;
    const excess = nextTat - nowMs - periodMs;
    if (excess > 0) {
      return { allowed: false, limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(excess / 1000)) };
    }
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO gcra (id, tat) VALUES (1, ?)", nextTat);
    // Forget the key once it is fully replenished, so idle keys leave no storage behind. One
    // pending alarm is enough: it re-arms itself while the key is still in use.
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(nextTat);
    const remaining = Math.floor((periodMs - (nextTat - nowMs)) / interval);
    return { allowed: true, limit, remaining: Math.max(0, remaining), retryAfterSeconds: 0 };
  }

  override async alarm(): Promise<void> {
    const row = this.ctx.storage.sql.exec<{ tat: number }>("SELECT tat FROM gcra WHERE id = 1").toArray()[0];
    if (row && row.tat > Date.now()) {
      await this.ctx.storage.setAlarm(row.tat);
      return;
    }
    await this.ctx.storage.deleteAll();
    this.createTable(); // this instance may keep serving requests after the wipe
  }
}
