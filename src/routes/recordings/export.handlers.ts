import { serviceContext } from "../../services/context";
import { exportRecordings, type ExportFormat } from "../../services/recordings/export.service";
import { createRouter } from "../router";
import * as routes from "./export.routes";
import { toListFilters } from "./recordings.schemas";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

/** Mounted before the recordings router, so `/recordings/export` never reaches `/recordings/{id}`. */
export const exportRouter = createRouter().openapi(routes.exportRecordings, async (c) => {
  const q = c.req.valid("query");
  const ctx = serviceContext(c.env);
  const body = await exportRecordings(ctx, c.get("auth").userId, { filters: { ...toListFilters(q), ids: q.ids }, orderBy: q.order_by, order: q.order }, q.format);
  const stamp = ctx.clock.now().toISOString().slice(0, 10);
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": CONTENT_TYPES[q.format],
      "Content-Disposition": `attachment; filename="recordings-${stamp}.${q.format}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
