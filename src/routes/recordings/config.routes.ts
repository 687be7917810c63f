import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { CONFIG_SOURCES } from "../../services/config/config-sources";
import { metadataConfigSchema, outputConfigOverrideSchema, processingConfigSchema } from "../../services/config/config-layer.schema";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import { IdParam } from "./recordings.routes";

const authed = { tags: ["Recordings"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
/** The same strict shapes as a template's configs (depth and size capped first). */
export const ConfigLayerSchema = z
  .object({
    processing_config: processingConfigSchema.nullable().optional(),
    metadata_config: metadataConfigSchema.nullable().optional(),
    output_config: outputConfigOverrideSchema.nullable().optional(),
  })
  .strict()
  .openapi("ConfigOverrides");

export const RecordingConfigSchema = z
  .object({
    recording_id: z.number().int(),
    template_id: z.number().int().nullable(),
    template_name: z.string().nullable(),
    has_manual_override: z.boolean(),
    overrides: z.record(z.string(), z.unknown()).nullable(),
    effective_config: z.record(z.string(), z.unknown()),
    sources: z.record(z.string(), z.enum(CONFIG_SOURCES)).openapi({
      description:
        "Where each value of effective_config comes from: every leaf path (dot-joined; arrays, null and empty objects are leaves) → " +
        "the highest layer that sets it: `default` (the service's defaults), `user` (PATCH /users/me/config), `template` (the recording's template) " +
        "or `recording` (these overrides)",
      example: { "transcription.language": "template", "processing.enable_processing": "recording", "upload.default_platforms": "default" },
    }),
  })
  .openapi("RecordingConfig");

const responses = {
  200: jsonContent(RecordingConfigSchema, "Overrides and the resolved configuration"),
  404: errorResponse("No such recording of the caller"),
  ...authErrors,
};

export const getConfig = createRoute({
  ...authed,
  method: "get",
  path: "/{id}/config",
  summary: "Resolved configuration (defaults → user → template → recording overrides)",
  request: { params: IdParam },
  responses,
});

export const putConfig = createRoute({
  ...authed,
  method: "put",
  path: "/{id}/config",
  summary: "Merge-patch the recording's own overrides (null removes a key)",
  request: { params: IdParam, body: jsonBody(ConfigLayerSchema) },
  responses,
});

export const deleteConfig = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}/config",
  summary: "Drop the recording's overrides",
  request: { params: IdParam },
  responses,
});
