import { serviceContext } from "../../services/context";
import * as service from "../../services/search/search.service";
import { createRouter } from "../router";
import * as routes from "./search.routes";

export const searchRouter = createRouter()
  .openapi(routes.search, async (c) => {
    const q = c.req.valid("query");
    const groups = await service.searchRecordings(serviceContext(c.env), c.get("auth"), { q: q.q, limit: q.limit, hitsPerRecording: q.hits });
    return c.json(
      {
        query: q.q,
        total: groups.length,
        results: groups.map((g) => ({
          recording_id: g.recordingId,
          display_name: g.displayName,
          start_time: g.startTime.toISOString(),
          score: g.score,
          hits: g.hits.map((h) => ({ field: h.kind, snippet: h.snippet, seconds: h.seconds })),
        })),
      },
      200,
    );
  })
  .openapi(routes.reindex, async (c) => {
    await service.requestRebuild(serviceContext(c.env), c.get("auth"));
    return c.json({ message: "The search index is being rebuilt", status: "queued" as const }, 202);
  })
  .openapi(routes.status, async (c) => {
    const stats = await service.indexStats(serviceContext(c.env), c.get("auth"));
    return c.json({ passages: stats.passages, recordings: stats.recordings, hidden_recordings: stats.hidden, size_bytes: stats.bytes }, 200);
  });
