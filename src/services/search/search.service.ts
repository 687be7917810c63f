import type { AuthContext } from "../../app-types";
import type { RecordingFilters } from "../../db/repositories/recording-filters";
import { forTenant } from "../../db/repositories/tenant";
import type { IndexedGroup } from "../../durable/search-index";
import type { PassageKind } from "../../lib/search/passage-kinds";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { searchIndexFor } from "./index-stub";
import { cachedNameMatch, rememberNameMatch } from "./name-match-cache";
import { parseQuery, toMatchExpression } from "./query";
import { secondsAt, snippetOf } from "./snippet";

/** Passages ranked before grouping by recording: bounds a query's cost whatever the index size. */
const MAX_PASSAGES = 300;
/** Above this many matching passages, ranking looks at the newest ones only (see SearchIndex.search). */
const RANK_WINDOW = 2_000;
/** recordings?search= matches at most this many recordings (then narrowed by the other filters). */
export const MAX_LIST_MATCHES = 50_000;

export interface SearchHit {
  kind: PassageKind;
  snippet: string;
  /** Second of the video the match is at (chapters and transcript); null for title, topic, summary. */
  seconds: number | null;
}

export interface SearchGroup {
  recordingId: number;
  displayName: string;
  startTime: Date;
  score: number;
  hits: SearchHit[];
}

const indexUnavailable = (error: unknown) => {
  log.error("search index failed", { error });
  return new AppError("SERVICE_UNAVAILABLE", "Search is temporarily unavailable; try again shortly", { headers: { "Retry-After": "5" }, cause: error });
};

/**
 * Full-text search over the caller's recordings, grouped by recording, most relevant first. Hits
 * are re-checked against D1 through the tenant's repository, so a recording deleted (or gone)
 * since it was indexed never appears, whatever state the index is in.
 */
export async function searchRecordings(ctx: ServiceContext, auth: AuthContext, input: { q: string; limit: number; hitsPerRecording: number }): Promise<SearchGroup[]> {
  const match = toMatchExpression(parseQuery(input.q));
  let groups: IndexedGroup[];
  try {
    groups = await searchIndexFor(ctx.env, auth.userId).search(match, { maxPassages: MAX_PASSAGES, maxRecordings: input.limit, hitsPerRecording: input.hitsPerRecording, rankWindow: RANK_WINDOW });
  } catch (error) {
    throw indexUnavailable(error);
  }
  const rows = new Map((await forTenant(ctx.db, auth.userId).recordings.getMany(groups.map((g) => g.recordingId))).map((r) => [r.id, r]));
  return groups.flatMap((group) => {
    const recording = rows.get(group.recordingId);
    if (!recording || recording.deleted) return [];
    const hits = group.hits.map((hit) => {
      const { html, offset } = snippetOf(hit.highlighted);
      return { kind: hit.kind, snippet: html, seconds: hit.kind === "transcript" || hit.kind === "chapter" ? secondsAt(hit.marks, hit.start, offset) : null };
    });
    return [{ recordingId: recording.id, displayName: recording.displayName, startTime: recording.startTime, score: Math.round(group.score * 1000) / 1000, hits }];
  });
}

/**
 * `search` in recording filters goes through the index (display names only, as the list's search
 * always meant), never a LIKE scan: the matching ids become an `ids` filter D1 applies with the rest.
 * `reuseRecent` (the list, not bulk operations or exports) takes a match the isolate made within
 * NAME_MATCH_TTL_MS (name-match-cache.ts).
 */
export async function resolveSearchFilter(
  ctx: ServiceContext,
  userId: string,
  filters: RecordingFilters,
  options: { reuseRecent?: boolean } = {},
): Promise<RecordingFilters> {
  if (filters.search === undefined) return filters;
  const { search, ...rest } = filters;
  const match = toMatchExpression(parseQuery(search), "title");
  const now = ctx.clock.now().getTime();
  let ids = options.reuseRecent ? cachedNameMatch(userId, match, now) : undefined;
  if (!ids) {
    try {
      ids = await searchIndexFor(ctx.env, userId).matchingRecordings(match, MAX_LIST_MATCHES);
    } catch (error) {
      throw indexUnavailable(error);
    }
    rememberNameMatch(userId, match, ids, now);
  }
  const wanted = rest.ids ? ids.filter((id) => rest.ids!.includes(id)) : ids;
  return { ...rest, ids: wanted };
}

/** Rebuilds the caller's index from D1 and R2, a page per queue message; answers once the first page is queued. */
export async function requestRebuild(ctx: ServiceContext, auth: AuthContext): Promise<void> {
  await enqueue(ctx.env, { type: "search.rebuild", userId: auth.userId, afterId: 0 });
}

export async function indexStats(ctx: ServiceContext, auth: AuthContext) {
  try {
    return await searchIndexFor(ctx.env, auth.userId).stats();
  } catch (error) {
    throw indexUnavailable(error);
  }
}
