import type { AuthContext } from "../../app-types";
import { forTenant } from "../../db/repositories/tenant";
import { ZoomApiError } from "../../integrations/zoom/errors";
import { AppError, badRequest, notFound } from "../../lib/errors";
import { log } from "../../lib/logger";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import type { ServiceContext } from "../context";
import { unsupportedInputReason } from "../sources/input-support";
import { autoStartRun } from "../pipeline/auto-start";
import { decisionOf, type IngestDecision } from "./ingest-decision";
import { ingestMeeting, type IngestOutcome } from "./ingest-meeting";
import { zoomClientFor, zoomFailureToAppError } from "./zoom-client-factory";
import { markNeedsReauth } from "../credentials/needs-reauth";

export interface SyncResult {
  source_id: number;
  recordings_found: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  new_files: number;
  /** How many of the meetings are accepted (on their way, or already in the pipeline) and how many skipped. */
  decisions: { accepted: number; skipped: number };
  /** Each meeting's decision, with the reason a skipped one is skipped (the first MAX_REPORTED_RECORDINGS). */
  recordings: IngestDecision[];
  recordings_truncated: boolean;
}

/** A year's backfill of a busy account stays a readable answer; the counts above cover every meeting. */
export const MAX_REPORTED_RECORDINGS = 500;

const DAY_MS = 86_400_000;
export const MAX_SYNC_DAYS = 366;

/**
 * Pulls every recording of [from, to] from Zoom (all month windows, all pages) and ingests it.
 * Idempotent: a repeated sync changes nothing; an interrupted one is simply run again.
 */
export async function syncZoomSource(ctx: ServiceContext, auth: AuthContext, sourceId: number, range: { from?: Date; to?: Date }): Promise<SyncResult> {
  const tenant = forTenant(ctx.db, auth.userId);
  const source = await tenant.sources.get(sourceId);
  if (!source) throw notFound("Source");
  const unsupported = unsupportedInputReason(source.sourceType);
  if (unsupported) throw badRequest(`This ${source.sourceType} source cannot sync: ${unsupported}`);
  if (source.sourceType !== "ZOOM") throw badRequest(`Only ZOOM sources sync (this one is ${source.sourceType})`);
  if (!source.isActive) throw badRequest("Source is inactive");
  if (source.credentialId === null) throw badRequest("Source has no credential");
  const credential = await tenant.credentials.get(source.credentialId);
  if (!credential) throw badRequest("Source's credential no longer exists");
  const now = ctx.clock.now();
  const to = range.to ?? now;
  const from = range.from ?? new Date(to.getTime() - 30 * DAY_MS);
  if (from > to) throw badRequest("from_date is after to_date");
  if (to.getTime() - from.getTime() > MAX_SYNC_DAYS * DAY_MS) throw badRequest(`Sync at most ${MAX_SYNC_DAYS} days at a time`);

  const client = await zoomClientFor(ctx, credential);
  const counts: Record<IngestOutcome, number> = { created: 0, updated: 0, unchanged: 0, skipped_deleted: 0, skipped_tombstone: 0, skipped_in_pipeline: 0 };
  let found = 0;
  let newFiles = 0;
  const decisions = { accepted: 0, skipped: 0 };
  const reported: IngestDecision[] = [];
  try {
    for await (const meeting of client.listRecordings({ from, to })) {
      found += 1;
      const result = await ingestMeeting(ctx, auth.userId, sourceId, meeting, { via: "api" }, { synced_at: now.toISOString() });
      counts[result.outcome] += 1;
      newFiles += result.newFiles;
      const decision = decisionOf(meeting.uuid, result);
      decisions[decision.decision] += 1;
      if (reported.length < MAX_REPORTED_RECORDINGS) reported.push(decision);
      // A sync that sees a ready meeting before its webhook starts it as the webhook would (once: see autoStartRun).
      if (result.recordingId && result.status === "INITIALIZED") await autoStartRun(ctx, auth.userId, result.recordingId, "sync");
    }
  } catch (error) {
    if (!(error instanceof ZoomApiError)) throw error;
    log.warn("zoom sync failed", { sourceId, kind: error.kind, status: error.status, found });
    if (error.kind === "auth") {
      await markNeedsReauth(ctx, credential, sanitizeProviderMessage(error.message));
    }
    throw zoomFailureToAppError(error);
  }
  await tenant.sources.update(sourceId, { lastSyncAt: now, updatedAt: now });
  await tenant.credentials.update(credential.id, { lastUsedAt: now });
  const result = {
    source_id: sourceId,
    recordings_found: found,
    created: counts.created,
    updated: counts.updated,
    unchanged: counts.unchanged,
    skipped: counts.skipped_deleted + counts.skipped_tombstone + counts.skipped_in_pipeline,
    new_files: newFiles,
  };
  log.info("zoom sync done", { ...result, ...decisions });
  return { ...result, decisions, recordings: reported, recordings_truncated: found > reported.length };
}

export async function syncManySources(ctx: ServiceContext, auth: AuthContext, sourceIds: number[], range: { from?: Date; to?: Date }) {
  const results: Array<SyncResult | { source_id: number; error: { code: string; message: string } }> = [];
  for (const id of sourceIds) {
    try {
      results.push(await syncZoomSource(ctx, auth, id, range));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ source_id: id, error: { code: error.code, message: error.message } });
    }
  }
  return results;
}
