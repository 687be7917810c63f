import type { AuthContext } from "../../app-types";
import type { RecordingFilters } from "../../db/repositories/recording-filters";
import { forTenant } from "../../db/repositories/tenant";
import { AppError } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { resolveSearchFilter } from "../search/search.service";

export type BulkSelection = { recordingIds: number[]; filters?: undefined } | { recordingIds?: undefined; filters: RecordingFilters };

export interface BulkItemResult {
  recording_id: number;
  status: "done" | "skipped" | "error";
  reason?: string;
  task_id?: string;
  run_status?: string;
}

export type BulkOutcome = "done" | "skipped" | Omit<BulkItemResult, "recording_id">;

/**
 * §3.0: a bulk request names its recordings either explicitly or by filters (never both; the
 * schema enforces it). Explicit ids of other tenants are reported as not found, per item.
 */
export async function resolveSelection(
  ctx: ServiceContext,
  auth: Pick<AuthContext, "userId">,
  selection: BulkSelection,
  limit: number,
): Promise<{ ids: number[]; missing: number[] }> {
  const repo = forTenant(ctx.db, auth.userId).recordings;
  if (selection.recordingIds) {
    const wanted = [...new Set(selection.recordingIds)].slice(0, limit);
    const found = new Set((await repo.getMany(wanted)).map((r) => r.id));
    return { ids: wanted.filter((id) => found.has(id)), missing: wanted.filter((id) => !found.has(id)) };
  }
  return { ids: await repo.selectIds(await resolveSearchFilter(ctx, auth.userId, selection.filters), limit), missing: [] };
}

/** Applies `action` to each selected recording; a client mistake on one item never fails the batch. */
export async function runBulk(
  ctx: ServiceContext,
  auth: AuthContext,
  selection: BulkSelection,
  limit: number,
  action: (id: number) => Promise<BulkOutcome>,
) {
  const { ids, missing } = await resolveSelection(ctx, auth, selection, limit);
  const details: BulkItemResult[] = missing.map((id) => ({ recording_id: id, status: "error", reason: "Recording not found" }));
  for (const id of ids) {
    try {
      const outcome = await action(id);
      details.push(typeof outcome === "string" ? { recording_id: id, status: outcome } : { recording_id: id, ...outcome });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      details.push({ recording_id: id, status: error.status === 404 ? "error" : "skipped", reason: error.message });
    }
  }
  return {
    total: details.length,
    succeeded_count: details.filter((d) => d.status === "done").length,
    skipped_count: details.filter((d) => d.status === "skipped").length,
    error_count: details.filter((d) => d.status === "error").length,
    details,
  };
}
