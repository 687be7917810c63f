import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";

/**
 * One SQL statement on the dev server's local D1 (a SQLite file under its --persist-to directory),
 * for what no API writes — e.g. the chapters the pipeline's language model would make. Needs the
 * sqlite3 CLI (which waits for the server's lock); against an external server, E2E_STATE_DIR must name its state directory.
 */
export function localD1(sql: string): void {
  const state = inject("stateDir");
  if (!state) throw new Error("this journey seeds local D1: run it with the journeys' own dev server, or set E2E_STATE_DIR");
  const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}`);
  const result = spawnSync("sqlite3", ["-cmd", ".timeout 10000", path.join(dir, file), sql], { encoding: "utf8" });
  if (result.error) throw new Error(`sqlite3 is needed (apt-get install sqlite3): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
}

/** A SQL string literal. */
export const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;
