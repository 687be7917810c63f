import { createRoute, z } from "@hono/zod-openapi";
import { PRESET_PLATFORMS } from "../../db/schema";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import { DraftPreviewRequestSchema, DraftPreviewSchema, PresetCreateSchema, PresetSchema, PresetUpdateSchema, PreviewRequestSchema, PreviewSchema } from "./presets.schemas";

const authed = { tags: ["Presets"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const notFound = errorResponse("No such preset (or credential) of the caller");
const duplicate = errorResponse("A preset with this name already exists");
const bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "List output presets (oldest first)",
  request: { query: z.object({ platform: z.enum(PRESET_PLATFORMS).optional(), active_only: bool.default(false) }) },
  responses: { 200: jsonContent(z.array(PresetSchema), "Presets (a bare array, as LEAP)"), ...authErrors },
});

export const create = createRoute({
  ...authed,
  method: "post",
  path: "/",
  summary: "Create a preset: platform metadata checked per platform, templates checked, credential of the same platform",
  request: { body: jsonBody(PresetCreateSchema) },
  responses: { 201: jsonContent(PresetSchema, "The preset"), 404: notFound, 409: duplicate, ...authErrors },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{id}",
  summary: "One preset",
  request: { params: IdParam },
  responses: { 200: jsonContent(PresetSchema, "The preset"), 404: notFound, ...authErrors },
});

export const update = createRoute({
  ...authed,
  method: "patch",
  path: "/{id}",
  summary: "Update a preset (preset_metadata is replaced as a whole and checked again)",
  request: { params: IdParam, body: jsonBody(PresetUpdateSchema) },
  responses: { 200: jsonContent(PresetSchema, "The preset"), 404: notFound, 409: duplicate, ...authErrors },
});

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}",
  summary: "Delete a preset",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: notFound, ...authErrors },
});

export const preview = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/preview",
  summary: "Exactly what publishing a recording with this preset would send (title, description, tags, privacy, playlist/album, thumbnail, publish_at)",
  request: { params: IdParam, body: jsonBody(PreviewRequestSchema) },
  responses: { 200: jsonContent(PreviewSchema, "The publication"), 404: errorResponse("No such preset or recording of the caller"), ...authErrors },
});

export const previewDraft = createRoute({
  ...authed,
  method: "post",
  path: "/preview",
  summary: "Preview a preset being edited (not saved): its metadata is checked as a save checks it, then rendered for a recording",
  description:
    "For the editor's live preview. A template problem is the standard 400 whose `details` give, per problem, `path` " +
    "(`preset_metadata.title_template` …), `code`, `message`, `line` and `column` (1-based, in the template as written). Nothing is stored.",
  request: { body: jsonBody(DraftPreviewRequestSchema) },
  responses: {
    200: jsonContent(DraftPreviewSchema, "The publication"),
    404: errorResponse("No such recording (or credential) of the caller"),
    ...authErrors,
  },
});
