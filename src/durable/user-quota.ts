import { DurableObject } from "cloudflare:workers";

export interface SlotDecision {
  granted: boolean;
  active: number;
  limit: number | null;
}

export type MonthlyCounter = "recordings" | "transcription_seconds";

export interface MonthlyDecision {
  granted: boolean;
  used: number;
  limit: number | null;
}

/**
 * One object per user: serializes the quota arithmetic that must never race — concurrent run
 * slots and stored bytes. Each RPC is a synchronous read-check-write on SQLite storage, which the
 * object's input gate makes atomic, so 200 simultaneous reservations admit exactly `limit`.
 */
export class UserQuota extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS slots (run_key TEXT PRIMARY KEY, acquired_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`);
  }

  private active(): number {
    return Number(this.ctx.storage.sql.exec("SELECT COUNT(*) AS n FROM slots").one().n);
  }

  /** Takes a run slot (idempotent per run key); `limit` null means unlimited. */
  acquireSlot(runKey: string, limit: number | null): SlotDecision {
    const held = this.ctx.storage.sql.exec("SELECT 1 FROM slots WHERE run_key = ?", runKey).toArray().length > 0;
    const active = this.active();
    if (held) return { granted: true, active, limit };
    if (limit !== null && active >= limit) return { granted: false, active, limit };
    this.ctx.storage.sql.exec("INSERT INTO slots (run_key, acquired_at) VALUES (?, ?)", runKey, Date.now());
    return { granted: true, active: active + 1, limit };
  }

  releaseSlot(runKey: string): number {
    this.ctx.storage.sql.exec("DELETE FROM slots WHERE run_key = ?", runKey);
    return this.active();
  }

  /** Adds (or with a negative value, frees) stored bytes; returns the new total. */
  addStorageBytes(delta: number): number {
    this.ctx.storage.sql.exec(
      "INSERT INTO counters (name, value) VALUES ('storage_bytes', max(0, ?)) ON CONFLICT(name) DO UPDATE SET value = max(0, value + ?)",
      delta,
      delta,
    );
    return Number(this.ctx.storage.sql.exec("SELECT value FROM counters WHERE name = 'storage_bytes'").one().value);
  }

  /** Sets stored bytes to a value computed from R2 (reconciliation); returns the previous total. */
  setStorageBytes(value: number): number {
    const row = this.ctx.storage.sql.exec("SELECT value FROM counters WHERE name = 'storage_bytes'").toArray()[0];
    this.ctx.storage.sql.exec(
      "INSERT INTO counters (name, value) VALUES ('storage_bytes', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
      Math.max(0, Math.round(value)),
    );
    return Number(row?.value ?? 0);
  }

  private monthly(name: MonthlyCounter, period: string): number {
    const row = this.ctx.storage.sql.exec("SELECT value FROM counters WHERE name = ?", `${name}:${period}`).toArray()[0];
    return Number(row?.value ?? 0);
  }

  /**
   * Reserves `amount` of a monthly counter (recordings, transcription seconds) for `period`
   * (YYYYMM): granted only while `used + amount <= limit` (null = unlimited). One synchronous
   * read-check-write, so simultaneous reservations can never overshoot the limit.
   */
  reserveMonthly(name: MonthlyCounter, period: string, amount: number, limit: number | null): MonthlyDecision {
    const used = this.monthly(name, period);
    if (limit !== null && used + amount > limit) return { granted: false, used, limit };
    this.ctx.storage.sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
      `${name}:${period}`,
      amount,
    );
    return { granted: true, used: used + amount, limit };
  }

  /** Gives back (part of) a reservation, e.g. when the work it was taken for did not happen. */
  releaseMonthly(name: MonthlyCounter, period: string, amount: number): number {
    this.ctx.storage.sql.exec("UPDATE counters SET value = max(0, value - ?) WHERE name = ?", amount, `${name}:${period}`);
    return this.monthly(name, period);
  }

  /** Raises a monthly counter to at least `value` (reconciliation against D1 never lowers it). */
  raiseMonthly(name: MonthlyCounter, period: string, value: number): number {
    this.ctx.storage.sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
      `${name}:${period}`,
      Math.max(0, Math.round(value)),
    );
    return this.monthly(name, period);
  }

  monthlyUsage(period: string): { recordings: number; transcriptionSeconds: number } {
    return { recordings: this.monthly("recordings", period), transcriptionSeconds: this.monthly("transcription_seconds", period) };
  }

  usage(): { activeRuns: number; storageBytes: number } {
    const row = this.ctx.storage.sql.exec("SELECT value FROM counters WHERE name = 'storage_bytes'").toArray()[0];
    return { activeRuns: this.active(), storageBytes: Number(row?.value ?? 0) };
  }
}
