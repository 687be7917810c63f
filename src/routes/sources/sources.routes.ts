import { createRoute, z } from "@hono/zod-openapi";
import { SOURCE_TYPES } from "../../db/schema";
import { boundedJson, JSON_SIZE_LIMITS } from "../../lib/json-limits";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { leapDate } from "../common/dates";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";

const authed = { tags: ["Sources"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const notFound = errorResponse("No such source (or credential) of the caller");
const conflict = errorResponse("A source with this name, type and credential exists");

export const SourceSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    source_type: z.enum(SOURCE_TYPES),
    credential_id: z.number().int().nullable(),
    config: z.record(z.string(), z.unknown()).nullable(),
    is_active: z.boolean(),
    last_sync_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    webhook_url: z.string().nullable().openapi({ description: "For ZOOM sources: the URL to enter in the Zoom app's event subscription" }),
  })
  .openapi("Source");

const base = {
  name: z.string().trim().min(3).max(255),
  description: z.string().trim().max(1000).nullable().optional(),
  credential_id: z.number().int().positive().nullable().optional(),
  config: boundedJson({ maxBytes: JSON_SIZE_LIMITS.sourceConfig }).nullable().optional(),
  is_active: z.boolean().optional(),
};

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "List input sources",
  request: {
    query: z.object({
      search: z.string().trim().max(200).optional(),
      active_only: z.enum(["true", "false"]).transform((v) => v === "true").default(false),
    }),
  },
  responses: { 200: jsonContent(z.array(SourceSchema), "Sources (a bare array, as LEAP)"), ...authErrors },
});

export const create = createRoute({
  ...authed,
  method: "post",
  path: "/",
  summary: "Create a ZOOM or LOCAL source",
  description: "YANDEX_DISK is answered 400: Yandex Disk is supported as an output (a yandex_disk preset), not yet as an input source.",
  request: {
    body: jsonBody(z.object({ ...base, platform: z.enum(SOURCE_TYPES) }).strict().openapi("SourceCreate")),
  },
  responses: { 201: jsonContent(SourceSchema, "The source"), 404: notFound, 409: conflict, ...authErrors },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{id}",
  summary: "One source",
  request: { params: IdParam },
  responses: { 200: jsonContent(SourceSchema, "The source"), 404: notFound, ...authErrors },
});

export const update = createRoute({
  ...authed,
  method: "patch",
  path: "/{id}",
  summary: "Update a source (its type is fixed)",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object(base)
        .partial()
        .strict()
        .refine((b) => Object.keys(b).length > 0, "at least one field is required")
        .openapi("SourceUpdate"),
    ),
  },
  responses: { 200: jsonContent(SourceSchema, "The source"), 404: notFound, 409: conflict, ...authErrors },
});

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}",
  summary: "Delete a source (its recordings stay, unlinked)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: notFound, ...authErrors },
});

const SyncResultSchema = z
  .object({
    source_id: z.number().int(),
    recordings_found: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    new_files: z.number().int(),
  })
  .openapi("SyncResult");
const zoomErrors = {
  412: errorResponse("The Zoom credential was rejected and needs re-authorisation"),
  502: errorResponse("Zoom failed; nothing was lost, sync again later"),
};

export const sync = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/sync",
  summary: "Pull this ZOOM source's recordings for a date range (default: the last 30 days)",
  description: "Only ZOOM sources sync; any other type (a YANDEX_DISK source created before they were refused, LOCAL) is answered 400.",
  request: { params: IdParam, query: z.object({ from_date: leapDate(false).optional(), to_date: leapDate(true).optional() }) },
  responses: { 200: jsonContent(SyncResultSchema, "What the sync found and changed"), 404: notFound, ...zoomErrors, ...authErrors },
});

export const bulkSync = createRoute({
  ...authed,
  method: "post",
  path: "/bulk/sync",
  summary: "Sync several sources; each reports its own result or error",
  request: {
    body: jsonBody(
      z
        .object({
          source_ids: z.array(z.number().int().positive()).min(1).max(50),
          from_date: leapDate(false).optional(),
          to_date: leapDate(true).optional(),
        })
        .strict(),
    ),
  },
  responses: {
    200: jsonContent(
      z.object({
        results: z.array(z.union([SyncResultSchema, z.object({ source_id: z.number().int(), error: z.object({ code: z.string(), message: z.string() }) })])),
      }),
      "Per-source outcome",
    ),
    ...authErrors,
  },
});
