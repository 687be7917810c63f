import { DurableObject } from "cloudflare:workers";

export interface SlotDecision {
  granted: boolean;
  active: number;
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

  usage(): { activeRuns: number; storageBytes: number } {
    const row = this.ctx.storage.sql.exec("SELECT value FROM counters WHERE name = 'storage_bytes'").toArray()[0];
    return { activeRuns: this.active(), storageBytes: Number(row?.value ?? 0) };
  }
}
