import { forTenant } from "../../db/repositories/tenant";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import type { Transcript } from "../../lib/transcripts/types";
import { recordingPassages } from "./documents";
import { searchIndexFor } from "./index-stub";

/** Recordings re-indexed per queue message during a rebuild (each may read a transcript from R2). */
export const REBUILD_PAGE = 25;

/** Fields the index is built from: a stage result that sets one of them re-indexes the recording. */
const INDEXED_FIELDS = ["displayName", "transcriptObjectKey", "transcriptInfo", "mainTopics", "topicTimestamps", "topicsSummary"] as const;
export const touchesSearchIndex = (patch: object): boolean => INDEXED_FIELDS.some((field) => field in patch);

/**
 * Asks the queue to re-index a recording. Never throws: a lost request leaves the index stale
 * (search results are re-checked against D1, and a rebuild repairs it) but must not fail the rename,
 * deletion or pipeline stage that triggered it.
 */
export async function requestIndexUpdate(ctx: ServiceContext, userId: string, recordingId: number): Promise<void> {
  try {
    await enqueue(ctx.env, { type: "search.index", userId, recordingId });
  } catch (error) {
    log.warn("search index update not queued", { recordingId, error });
  }
}

async function transcriptSegments(ctx: ServiceContext, key: string | null, recordingId: number) {
  if (!key) return null;
  const object = await ctx.env.MEDIA.get(key);
  if (!object) return null;
  try {
    const transcript = (await object.json()) as Partial<Transcript>;
    return Array.isArray(transcript.segments) ? transcript.segments : null;
  } catch (error) {
    // A damaged transcript file must not keep the title and topics out of the index.
    log.warn("transcript not readable for search; indexing without it", { recordingId, error });
    return null;
  }
}

/**
 * Idempotent: reads the recording's current state from D1 (and its transcript from R2) and
 * replaces its rows in the tenant's index; a recording that no longer exists is removed.
 */
export async function indexRecording(ctx: ServiceContext, userId: string, recordingId: number): Promise<void> {
  const index = searchIndexFor(ctx.env, userId);
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording) {
    await index.remove([recordingId]);
    return;
  }
  const passages = recordingPassages(recording, await transcriptSegments(ctx, recording.transcriptObjectKey, recordingId));
  await index.replace(recordingId, passages, recording.deleted);
}

/** A purged account's index goes with it (the object then holds nothing). */
export async function clearSearchIndex(ctx: ServiceContext, userId: string): Promise<void> {
  await searchIndexFor(ctx.env, userId).clear();
}

/**
 * One page of a full rebuild: the next recordings in id order are re-indexed, ids in that range
 * the index holds but D1 no longer does are dropped, and the next page is queued. The index stays
 * searchable throughout (rows are replaced, never cleared first).
 */
export async function rebuildIndexPage(ctx: ServiceContext, userId: string, afterId: number): Promise<{ indexed: number; done: boolean }> {
  const rows = await forTenant(ctx.db, userId).recordings.idsAfter(afterId, REBUILD_PAGE);
  for (const id of rows) await indexRecording(ctx, userId, id);
  const done = rows.length < REBUILD_PAGE;
  await searchIndexFor(ctx.env, userId).pruneRange(afterId, done ? null : rows.at(-1)!, rows);
  if (!done) await enqueue(ctx.env, { type: "search.rebuild", userId, afterId: rows.at(-1)! });
  else log.info("search index rebuilt", { userId });
  return { indexed: rows.length, done };
}
