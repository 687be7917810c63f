import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { queryFormOf } from "../common/query-form";
import { authErrors, errorResponse, jsonContent } from "../common/schemas";
import { IdParam } from "../recordings/recordings.routes";
import { BulkResultSchema, bulkSelectionFields, exactlyOneSelection } from "../recordings/recordings.schemas";
import { minSilenceDurationSchema, silenceThresholdSchema } from "../../services/config/user-config.schema";
import type { StageEndpoint } from "../../services/pipeline/stage-requests";
import { RunSchema } from "./pipeline.schemas";

const authed = { tags: ["Pipeline"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const notFound = errorResponse("No such recording of the caller");
const conflict = errorResponse("The stage cannot run now (active run, missing input such as the video or the transcript)");

/** Per-stage parameters (LEAP's query/body parameters), as a body for both the single and the bulk form. */
export const STAGE_PARAMS = {
  transcribe: z
    .object({
      provider: z.enum(["fireworks", "fireworks-batch", "assemblyai", "openai", "workers-ai"]).optional(),
      use_batch_api: z.boolean().optional().openapi({ description: "LEAP's switch: the same as provider=fireworks-batch" }),
      language: z.string().min(2).max(10).optional(),
    })
    .strict(),
  trim: z
    .object({
      silence_threshold: silenceThresholdSchema.optional(),
      min_silence_duration: minSilenceDurationSchema.optional(),
      padding_before: z.number().min(0).max(60).optional(),
      padding_after: z.number().min(0).max(60).optional(),
    })
    .strict(),
  topics: z.object({ granularity: z.enum(["short", "medium", "long"]).optional() }).strict(),
  subtitles: z.object({ formats: z.array(z.enum(["srt", "vtt"])).min(1).max(2).optional() }).strict(),
} as const satisfies Record<StageEndpoint, z.ZodObject>;

const SUMMARY: Record<StageEndpoint, string> = {
  transcribe: "Transcribe the recording (provider from config, or this request)",
  trim: "Trim the silent start and end without re-encoding",
  topics: "Extract the main topic and chapters (adds a new active version)",
  subtitles: "Make SRT/VTT subtitles from the transcript",
};

const allowSkippedQuery = z
  .enum(["true", "false"])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === "true"))
  .openapi({ description: "false refuses a SKIPPED recording (no template matched); by default a single stage runs on it" });

/** LEAP took these parameters in the query string (`?granularity=short`, `?formats=srt&formats=vtt`, `?use_batch_api=true`). */
export const stageQuery = (action: StageEndpoint) => queryFormOf(STAGE_PARAMS[action].shape).extend({ allow_skipped: allowSkippedQuery });

export const singleStage = (action: StageEndpoint) =>
  createRoute({
    ...authed,
    method: "post",
    path: `/{id}/${action}`,
    summary: SUMMARY[action],
    description:
      "Parameters go in the JSON body or, as LEAP sent them, in the query string; both may be combined, " +
      "but a parameter given in both with different values is refused (400).",
    request: {
      params: IdParam,
      query: stageQuery(action),
      body: { required: false, content: { "application/json": { schema: STAGE_PARAMS[action] } } },
    },
    responses: { 202: jsonContent(RunSchema, "A run of this one stage"), 404: notFound, 409: conflict, ...authErrors },
  });

export const bulkStage = (action: StageEndpoint) =>
  createRoute({
    ...authed,
    method: "post",
    path: `/bulk/${action}`,
    summary: `${SUMMARY[action]}, for many recordings (by ids or filters)`,
    request: {
      body: {
        required: true,
        content: { "application/json": { schema: z.object({ ...bulkSelectionFields, ...STAGE_PARAMS[action].shape }).strict().refine(...exactlyOneSelection) } },
      },
    },
    responses: { 202: jsonContent(BulkResultSchema, "Per recording: the run started (task_id) or why not"), ...authErrors },
  });

const download = (path: string, summary: string, description: string) =>
  createRoute({
    ...authed,
    method: "get",
    path,
    summary,
    request: { params: IdParam },
    responses: { 200: { description, content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } }, 404: errorResponse("No such recording, or not produced yet"), ...authErrors },
  });

export const getTranscript = download("/{id}/transcript", "The normalised transcript (text, words, segments, language)", "The transcript as JSON");
export const getTopics = download("/{id}/topics", "All topics versions (the active one marked)", "The versions file");
export const getSubtitles = createRoute({
  ...authed,
  method: "get",
  path: "/{id}/subtitles/{format}",
  summary: "Download the subtitles (SRT or VTT, UTF-8)",
  request: { params: IdParam.extend({ format: z.enum(["srt", "vtt"]).openapi({ param: { name: "format", in: "path" } }) }) },
  responses: {
    200: { description: "The subtitle file", content: { "application/x-subrip": { schema: z.string() }, "text/vtt": { schema: z.string() } } },
    404: errorResponse("No such recording, or no subtitles yet"),
    ...authErrors,
  },
});

export const uploadToPlatform = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/upload/{platform}",
  summary: "Publish to one platform with a preset (or the recording's configured presets of that platform)",
  request: {
    params: IdParam.extend({ platform: z.enum(["youtube", "vk", "yandex_disk"]).openapi({ param: { name: "platform", in: "path" } }) }),
    query: z.object({
      preset_id: z.coerce.number().int().positive().optional().openapi({ param: { name: "preset_id", in: "query" } }),
      allow_skipped: allowSkippedQuery,
    }),
  },
  responses: {
    202: jsonContent(RunSchema, "A run of the upload stage"),
    404: errorResponse("No such recording or preset of the caller"),
    409: conflict,
    ...authErrors,
  },
});

const PublishPlatform = z.enum(["youtube", "vk", "yandex_disk"]);

/** `{platforms}`, or LEAP's bare JSON array of platforms (an empty array, as in LEAP, means every platform). */
export const RetryUploadBodySchema = z
  .union([
    z.object({ platforms: z.array(PublishPlatform).min(1).optional() }).strict(),
    z.array(PublishPlatform).max(3).openapi({ description: "LEAP's form: the platforms as a bare array" }),
  ])
  .openapi("RetryUploadRequest");

export const retryUpload = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/retry-upload",
  summary: "Publish again where publishing failed (optionally only some platforms); published videos are not sent again, only their missing extras redone",
  request: {
    params: IdParam,
    body: { required: false, content: { "application/json": { schema: RetryUploadBodySchema } } },
  },
  responses: { 202: jsonContent(RunSchema, "A run of the upload stage"), 404: notFound, 409: errorResponse("Nothing failed, or a run is active"), ...authErrors },
});

export const retryExtras = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/outputs/{output_id}/retry-extras",
  summary: "Redo the missing extras (thumbnail, playlist, captions) of a published output without uploading the video again",
  request: {
    params: IdParam.extend({ output_id: z.coerce.number().int().positive().openapi({ param: { name: "output_id", in: "path" } }) }),
  },
  responses: {
    202: jsonContent(RunSchema, "A run of the upload stage that redoes only the missing extras"),
    404: errorResponse("No such recording or output of the caller"),
    409: errorResponse("The output is not published yet, has no missing extras, or a run is active"),
    ...authErrors,
  },
});

export const bulkUpload = createRoute({
  ...authed,
  method: "post",
  path: "/bulk/upload",
  summary: "Publish many recordings (by ids or filters) with the given presets, or each recording's configured presets",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              ...bulkSelectionFields,
              preset_ids: z.array(z.number().int().positive()).min(1).max(10).optional(),
              preset_id: z.number().int().positive().optional().openapi({ description: "LEAP's single preset: the same as preset_ids [preset_id]" }),
              platforms: z
                .array(PublishPlatform)
                .min(1)
                .max(3)
                .optional()
                .openapi({ description: "LEAP's form: publish with each recording's configured presets of these platforms (with presets: each must publish to one of them)" }),
            })
            .strict()
            .refine(...exactlyOneSelection)
            .refine((b) => b.preset_id === undefined || b.preset_ids === undefined, { message: "give preset_ids or preset_id, not both", path: ["preset_id"] })
            .openapi("BulkUploadRequest"),
        },
      },
    },
  },
  responses: { 202: jsonContent(BulkResultSchema, "Per recording: the run started (task_id) or why not"), ...authErrors },
});
