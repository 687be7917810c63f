import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { matchingRulesSchema, optionalPatternSchema } from "../../services/templates/matching-rules";
import { queryFormOf } from "../common/query-form";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import { RecordingSchema } from "../recordings/recordings.schemas";
import { RematchSummarySchema, TemplateCreateSchema, TemplateSchema, TemplateUpdateSchema, TemplateWithRematchSchema } from "./templates.schemas";

const authed = { tags: ["Templates"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const notFound = errorResponse("No such template of the caller");
const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const WithRematch = TemplateWithRematchSchema;

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "List templates (matching order: oldest first)",
  request: { query: z.object({ search: z.string().trim().max(200).optional(), include_drafts: bool.default(false) }) },
  responses: { 200: jsonContent(z.array(TemplateSchema), "Templates (a bare array, as LEAP)"), ...authErrors },
});

export const create = createRoute({
  ...authed,
  method: "post",
  path: "/",
  summary: "Create a template; unmapped recordings are matched against it unless auto_rematch=false",
  request: { query: z.object({ auto_rematch: bool.default(true) }), body: jsonBody(TemplateCreateSchema) },
  responses: { 201: jsonContent(WithRematch, "The template (LEAP's shape), with what rematching changed in `rematch`"), ...authErrors },
});

const fromRecordingFields = {
  name: z.string().trim().min(3).max(255).optional().openapi({ description: "Required, here or in the query" }),
  description: z.string().trim().max(1000).nullable().optional(),
  match_pattern: optionalPatternSchema.optional(),
  match_source: z.boolean().optional(),
};

export const fromRecording = createRoute({
  ...authed,
  method: "post",
  path: "/from-recording/{recording_id}",
  summary: "Create a template from a recording (its name or a pattern; its overrides as configs)",
  description:
    "The fields go in the JSON body or, as LEAP sent them, in the query string (`?name=…&match_pattern=…&match_source_id=true`); " +
    "a field in the body wins. `match_source_id` is LEAP's name for `match_source`.",
  request: {
    params: z.object({ recording_id: z.coerce.number().int().positive() }),
    query: queryFormOf({ ...fromRecordingFields, match_source_id: z.boolean().optional() }),
    body: { required: false, content: { "application/json": { schema: z.object(fromRecordingFields).strict() } } },
  },
  responses: { 201: jsonContent(WithRematch, "The template"), 404: errorResponse("No such recording"), ...authErrors },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{id}",
  summary: "One template",
  request: { params: IdParam },
  responses: { 200: jsonContent(TemplateSchema, "The template"), 404: notFound, ...authErrors },
});

export const update = createRoute({
  ...authed,
  method: "patch",
  path: "/{id}",
  summary: "Update a template; a change of rules or state rematches unmapped recordings",
  request: { params: IdParam, query: z.object({ auto_rematch: bool.default(true) }), body: jsonBody(TemplateUpdateSchema) },
  responses: { 200: jsonContent(WithRematch, "The template"), 404: notFound, ...authErrors },
});

const toggle = (action: "activate" | "deactivate") =>
  createRoute({
    ...authed,
    method: "post",
    path: `/{id}/${action}`,
    summary: action === "activate" ? "Activate (and rematch)" : "Deactivate (stops matching new recordings)",
    request: { params: IdParam },
    responses: { 200: jsonContent(WithRematch, "The template"), 404: notFound, ...authErrors },
  });
export const activate = toggle("activate");
export const deactivate = toggle("deactivate");

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}",
  summary: "Delete a template; its recordings become unmapped",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: notFound, ...authErrors },
});

export const stats = createRoute({
  ...authed,
  method: "get",
  path: "/{id}/stats",
  summary: "Recordings of this template by status",
  request: { params: IdParam },
  responses: {
    200: jsonContent(
      z.object({ template_id: z.number().int(), template_name: z.string(), total_recordings: z.number().int(), by_status: z.record(z.string(), z.number().int()), is_active: z.boolean() }),
      "Counts",
    ),
    404: notFound,
    ...authErrors,
  },
});

export const preview = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/preview",
  summary: "Which unmapped recordings this template would match (changes nothing)",
  request: {
    params: IdParam,
    query: z.object({
      only_skipped: bool.default(true),
      source_id: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ template_id: z.number().int(), total_checked: z.number().int(), will_match_count: z.number().int(), will_match: z.array(RecordingSchema) }),
      "Would-be matches",
    ),
    404: notFound,
    ...authErrors,
  },
});

export const previewRules = createRoute({
  ...authed,
  method: "post",
  path: "/preview",
  summary: "Which recordings some matching rules would match, before they are saved (changes nothing)",
  description:
    "The editor's live preview. Checks the newest unmapped recordings and, with `template_id`, that template's own recordings " +
    "(at most `limit` in all, newest first) against `matching_rules` with the same matcher as rematching.",
  request: {
    body: jsonBody(
      z
        .object({
          matching_rules: matchingRulesSchema,
          template_id: z.number().int().positive().optional().openapi({ description: "The template being edited: its recordings are checked too" }),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .strict()
        .openapi("TemplateRulesPreview"),
    ),
  },
  responses: {
    200: jsonContent(
      z.object({ total_checked: z.number().int(), will_match_count: z.number().int(), will_match: z.array(RecordingSchema) }).openapi("TemplateRulesPreviewResult"),
      "Would-be matches",
    ),
    404: errorResponse("No such template of the caller (template_id)"),
    ...authErrors,
  },
});

export const rematch = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/rematch",
  summary: "Match recordings again (first page now, the rest in the background)",
  request: { params: IdParam, query: z.object({ only_unmapped: bool.default(true) }) },
  responses: {
    200: jsonContent(
      z
        .object({
          message: z.string(),
          template_id: z.number().int(),
          template_name: z.string(),
          only_unmapped: z.boolean(),
          rematch: RematchSummarySchema,
        })
        .openapi("TemplateRematch"),
      "LEAP's fields, with what changed in `rematch`",
    ),
    404: notFound,
    ...authErrors,
  },
});
