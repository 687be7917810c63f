import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { EXPORT_FORMATS } from "../../services/recordings/export.service";
import { authErrors } from "../common/schemas";
import { ListFilterFields, oneStatusParameter } from "./recordings.schemas";

const MAX_EXPORT_IDS = 200;

/** A selection of the dashboard's list: comma-separated ids (the other filters still apply). */
const idListQuery = z
  .string()
  .max(2_000)
  .transform((v, ctx) => {
    const ids = v.split(",").map((s) => s.trim());
    if (ids.length > MAX_EXPORT_IDS || !ids.every((s) => /^[1-9]\d{0,14}$/.test(s))) {
      ctx.addIssue({ code: "custom", message: `ids are up to ${MAX_EXPORT_IDS} comma-separated recording ids` });
      return [];
    }
    return [...new Set(ids.map(Number))];
  });
export const ExportQuerySchema = ListFilterFields.extend({
  ids: idListQuery
    .optional()
    .openapi({ description: `Only these recordings (up to ${MAX_EXPORT_IDS} comma-separated ids, e.g. a selection); other tenants' ids match nothing`, example: "12,15,16" }),
  format: z.enum(EXPORT_FORMATS).default("csv").openapi({ description: "csv (UTF-8 with BOM, RFC 4180), json (one array) or ndjson (a record per line)" }),
}).refine(...oneStatusParameter);

export const exportRecordings = createRoute({
  tags: ["Recordings"],
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
  method: "get",
  path: "/export",
  summary: "Download every recording matching the list's filters (streamed; not paged)",
  description:
    "Takes the list's filters and order (`page` and `per_page` do not apply: every match is written). Columns: id, display name, " +
    "status, failed, start time, original and processed duration (seconds), template name, outputs (platform:status) and their URLs. " +
    "CSV cells that a spreadsheet would run as a formula (= + - @ tab CR) are prefixed with a single quote.",
  request: { query: ExportQuerySchema },
  responses: {
    200: {
      description: "The export, as an attachment",
      content: {
        "text/csv": { schema: z.string() },
        "application/json": { schema: z.array(z.record(z.string(), z.unknown())) },
        "application/x-ndjson": { schema: z.string() },
      },
    },
    ...authErrors,
  },
});
