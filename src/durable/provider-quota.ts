import { DurableObject } from "cloudflare:workers";

export interface QuotaDecision {
  granted: boolean;
  used: number;
  limit: number;
}

/**
 * One object per provider project (e.g. a YouTube API project): a counter per quota day, so
 * uploads across all users and isolates share one exact budget (YouTube: 100 uploads a day by
 * default, each costing 1600 of the 10 000 daily units). Days are the provider's own (Pacific
 * time for Google), passed in by the caller.
 */
export class ProviderQuota extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS days (day TEXT PRIMARY KEY, used INTEGER NOT NULL)");
  }

  private used(day: string): number {
    return Number(this.ctx.storage.sql.exec("SELECT used FROM days WHERE day = ?", day).toArray()[0]?.used ?? 0);
  }

  /** Takes one unit of `day`'s budget when there is one left. */
  reserve(day: string, limit: number): QuotaDecision {
    const used = this.used(day);
    if (used >= limit) return { granted: false, used, limit };
    this.ctx.storage.sql.exec("INSERT INTO days (day, used) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET used = used + 1", day);
    // Old days are of no use: keep a week for diagnostics.
    this.ctx.storage.sql.exec("DELETE FROM days WHERE day < date(?, '-7 days')", day);
    return { granted: true, used: used + 1, limit };
  }

  /** Gives a unit back (the upload never started). */
  release(day: string): number {
    this.ctx.storage.sql.exec("UPDATE days SET used = max(0, used - 1) WHERE day = ?", day);
    return this.used(day);
  }

  /** The provider said the quota is spent (other clients share the project): nothing more today. */
  exhaust(day: string, limit: number): void {
    this.ctx.storage.sql.exec("INSERT INTO days (day, used) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET used = max(used, excluded.used)", day, limit);
  }

  usage(day: string): number {
    return this.used(day);
  }
}
