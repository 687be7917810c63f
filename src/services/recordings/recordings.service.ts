import { eq } from "drizzle-orm";
import type { AuthContext } from "../../app-types";
import type { RecordingFilters, RecordingOrderColumn } from "../../db/repositories/recording-filters";
import type { RecordingPatch, RecordingRow } from "../../db/repositories/recordings.repository";
import { log } from "../../lib/logger";
import { cancelRun } from "../pipeline/runs.service";
import { forTenant } from "../../db/repositories/tenant";
import { recordings } from "../../db/schema";
import { badRequest, notFound } from "../../lib/errors";
import { effectiveUserConfig } from "../config/resolve";
import type { ServiceContext } from "../context";
import { requestIndexUpdate } from "../search/index-sync";
import { resolveSearchFilter } from "../search/search.service";
import { expiryFor, softDeleteSchedule } from "./retention-dates";

export interface ListQuery {
  filters: RecordingFilters;
  page: number;
  perPage: number;
  orderBy: RecordingOrderColumn;
  order: "asc" | "desc";
}

export async function listRecordings(ctx: ServiceContext, auth: AuthContext, query: ListQuery) {
  const repo = forTenant(ctx.db, auth.userId).recordings;
  const filters = await resolveSearchFilter(ctx, auth.userId, query.filters, { reuseRecent: true });
  return repo.list(filters, {
    offset: (query.page - 1) * query.perPage,
    limit: query.perPage,
    orderBy: query.orderBy,
    order: query.order,
  });
}

export async function getRecording(ctx: ServiceContext, auth: AuthContext, id: number): Promise<RecordingRow> {
  const recording = await forTenant(ctx.db, auth.userId).recordings.get(id);
  if (!recording) throw notFound("Recording");
  return recording;
}

export async function getRecordingDetail(ctx: ServiceContext, auth: AuthContext, id: number) {
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await getRecording(ctx, auth, id);
  const [details, template, runs] = await Promise.all([
    tenant.recordings.details(id),
    recording.templateId ? tenant.templates.get(recording.templateId) : undefined,
    tenant.runs.listForRecording(id, 1),
  ]);
  return { recording, template, latestRun: runs[0] ?? null, ...details };
}

/** Renames a recording or binds it to (or unbinds it from) one of the tenant's templates. */
export async function updateRecording(
  ctx: ServiceContext,
  auth: AuthContext,
  id: number,
  input: { displayName?: string; templateId?: number | null },
): Promise<RecordingRow> {
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await getRecording(ctx, auth, id);
  const patch: RecordingPatch = { updatedAt: ctx.clock.now() };
  if (input.displayName !== undefined) patch.displayName = input.displayName;
  if (input.templateId !== undefined) {
    if (input.templateId !== null && !(await tenant.templates.get(input.templateId))) throw notFound("Template");
    patch.templateId = input.templateId;
    patch.isMapped = input.templateId !== null;
    if (input.templateId !== null && recording.status === "SKIPPED" && !recording.blankRecord) patch.status = "INITIALIZED";
  }
  const updated = await tenant.recordings.update(id, patch);
  if (!updated) throw notFound("Recording");
  if (input.displayName !== undefined) await requestIndexUpdate(ctx, auth.userId, id);
  return updated;
}

/** First level of the two-level deletion (§9): hidden and restorable until its files are cleaned. */
export async function softDeleteRecording(ctx: ServiceContext, auth: AuthContext, id: number): Promise<RecordingRow> {
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await getRecording(ctx, auth, id);
  if (recording.deleted) throw badRequest("Recording is already deleted");
  const config = effectiveUserConfig((await tenant.config.getOrCreate(ctx.clock.now())).configData);
  const now = ctx.clock.now();
  const updated = await tenant.recordings.update(
    id,
    { deleted: true, deleteState: "soft", deletionReason: "manual", expireAt: null, ...softDeleteSchedule(config, now), updatedAt: now },
    eq(recordings.deleted, false),
  );
  if (!updated) throw badRequest("Recording is already deleted");
  await requestIndexUpdate(ctx, auth.userId, id);
  // A deleted recording is not processed further: its active run is cancelled (partial output discarded).
  const active = await tenant.runs.active(id);
  if (active) await cancelRun(ctx, auth.userId, active.id).catch((error: unknown) => log.warn("cancelling the run of a deleted recording failed", { id, error }));
  return updated;
}

export async function restoreRecording(ctx: ServiceContext, auth: AuthContext, id: number): Promise<RecordingRow> {
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await getRecording(ctx, auth, id);
  if (!recording.deleted) throw badRequest("Recording is not deleted");
  if (recording.deleteState !== "soft") throw badRequest("Cannot restore: files already deleted");
  const config = effectiveUserConfig((await tenant.config.getOrCreate(ctx.clock.now())).configData);
  const now = ctx.clock.now();
  const updated = await tenant.recordings.update(
    id,
    {
      deleted: false,
      deleteState: "active",
      deletionReason: null,
      deletedAt: null,
      softDeletedAt: null,
      hardDeleteAt: null,
      expireAt: expiryFor(config, now),
      updatedAt: now,
    },
    eq(recordings.deleteState, "soft"),
  );
  if (!updated) throw badRequest("Cannot restore: files already deleted");
  await requestIndexUpdate(ctx, auth.userId, id);
  return updated;
}
