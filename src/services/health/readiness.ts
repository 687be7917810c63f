import { storageKeys } from "../../lib/storage-keys";

export interface CheckResult {
  status: "ok" | "error";
  latencyMs: number;
  error?: string;
}

export interface Readiness {
  status: "ok" | "unavailable";
  checks: { d1: CheckResult; r2: CheckResult };
}

async function timed(probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = Date.now();
  try {
    await probe();
    return { status: "ok", latencyMs: Date.now() - started };
  } catch (error) {
    return {
      status: "error",
      latencyMs: Date.now() - started,
      error: error instanceof Error ? error.name : "unknown error",
    };
  }
}

/** Probes the two stores every request depends on. Error details stay in logs, not the body. */
export async function checkReadiness(env: Pick<Env, "DB" | "MEDIA">): Promise<Readiness> {
  const [d1, r2] = await Promise.all([
    timed(() => env.DB.prepare("SELECT 1").first()),
    timed(() => env.MEDIA.head(storageKeys.healthProbe())),
  ]);
  return { status: d1.status === "ok" && r2.status === "ok" ? "ok" : "unavailable", checks: { d1, r2 } };
}
