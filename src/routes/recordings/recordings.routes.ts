import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import { RecordingDetailSchema } from "./recording-detail.schemas";
import { BulkRequestSchema, BulkResultSchema, ListQuerySchema, RecordingSchema } from "./recordings.schemas";

const authed = { tags: ["Recordings"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
export const IdParam = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: "id", in: "path" } }) });
const notFound = errorResponse("No such recording of the caller");

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "List recordings with filters and pagination",
  request: { query: ListQuerySchema },
  responses: {
    200: jsonContent(
      z.object({
        total: z.number().int(),
        page: z.number().int(),
        per_page: z.number().int(),
        total_pages: z.number().int(),
        items: z.array(RecordingSchema),
      }),
      "A page of recordings",
    ),
    ...authErrors,
  },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{id}",
  summary: "One recording with its stages, outputs and source metadata",
  request: {
    params: IdParam,
    query: z.object({
      detailed: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "Accepted for LEAP clients; either way the answer is the list item's fields plus the details" }),
    }),
  },
  responses: { 200: jsonContent(RecordingDetailSchema, "The recording"), 404: notFound, ...authErrors },
});

export const patch = createRoute({
  ...authed,
  method: "patch",
  path: "/{id}",
  summary: "Rename a recording or bind it to a template (null unbinds)",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({
          display_name: z.string().trim().min(1).max(500).optional(),
          template_id: z.number().int().positive().nullable().optional(),
        })
        .strict()
        .refine((b) => Object.keys(b).length > 0, "at least one field is required")
        .openapi("RecordingUpdate"),
    ),
  },
  responses: { 200: jsonContent(RecordingSchema, "The updated recording"), 404: notFound, ...authErrors },
});

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}",
  summary: "Soft-delete a recording (restorable until its files are cleaned)",
  request: { params: IdParam },
  responses: { 200: jsonContent(RecordingSchema, "The deleted recording"), 404: notFound, ...authErrors },
});

export const restore = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/restore",
  summary: "Restore a soft-deleted recording",
  request: { params: IdParam },
  responses: { 200: jsonContent(RecordingSchema, "The restored recording"), 404: notFound, ...authErrors },
});

const bulk = (action: "delete" | "restore", summary: string) =>
  createRoute({
    ...authed,
    method: "post",
    path: `/bulk/${action}`,
    summary,
    request: { body: jsonBody(BulkRequestSchema) },
    responses: { 200: jsonContent(BulkResultSchema, "Per-recording outcome"), ...authErrors },
  });

export const bulkDelete = bulk("delete", "Soft-delete many recordings, by ids or by filters");
export const bulkRestore = bulk("restore", "Restore many soft-deleted recordings, by ids or by filters");

export const importUrl = createRoute({
  ...authed,
  method: "post",
  path: "/import",
  summary: "Create a recording from an https URL of its video (copied into storage by the download stage)",
  request: {
    body: jsonBody(
      z
        .object({
          url: z.url().max(2000),
          display_name: z.string().trim().min(1).max(500),
          start_time: z.iso.datetime({ offset: true }).optional(),
        })
        .strict()
        .openapi("UrlImport"),
    ),
  },
  responses: {
    201: jsonContent(RecordingSchema, "The recording (INITIALIZED when a template matched, else SKIPPED)"),
    409: errorResponse("This URL was already imported"),
    ...authErrors,
  },
});
