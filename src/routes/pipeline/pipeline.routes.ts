import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonContent } from "../common/schemas";
import { IdParam } from "../recordings/recordings.routes";
import { BulkResultSchema } from "../recordings/recordings.schemas";
import { BulkDownloadBodySchema, BulkDryRunSchema, BulkProcessBodySchema, DryRunSchema, ProcessBodySchema, ResetSchema, RunQuerySchema, RunSchema } from "./pipeline.schemas";

const authed = { tags: ["Pipeline"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const notFound = errorResponse("No such recording of the caller");
const optionalBody = <T extends z.ZodType>(schema: T) => ({ required: false, content: { "application/json": { schema } } });

export const bulkProcess = createRoute({
  ...authed,
  method: "post",
  path: "/bulk/process",
  summary: "Start runs for many recordings (by ids or filters); with dry_run, only report which would run",
  request: { query: RunQuerySchema, body: { required: true, content: { "application/json": { schema: BulkProcessBodySchema } } } },
  responses: {
    200: jsonContent(BulkDryRunSchema, "Dry run: what would be processed and why not"),
    202: jsonContent(BulkResultSchema, "Per recording: the run started (task_id) or why it was skipped"),
    ...authErrors,
  },
});

export const process = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/process",
  summary: "Run the pipeline (download → transcribe → trim → topics → subtitles → upload, as configured)",
  description:
    "The body's configs override the resolved configuration for this run only. The run starts at once when a run slot of the plan " +
    "is free, otherwise it is QUEUED and starts when another run ends. With `dry_run=true` nothing is stored: each step is listed " +
    "as enabled or with the reason it would be skipped.",
  request: { params: IdParam, query: RunQuerySchema, body: optionalBody(ProcessBodySchema) },
  responses: {
    200: jsonContent(DryRunSchema, "Dry run"),
    202: jsonContent(RunSchema, "The run (its id is the task id)"),
    404: notFound,
    409: errorResponse("The recording cannot be processed now (active run, blank, still at Zoom, SKIPPED, nothing to run)"),
    ...authErrors,
  },
});

const FORCE_DESCRIPTION =
  "Download again although the video is stored (⚠ LEAP refused this for a DOWNLOADED recording). The new copy is written " +
  "beside the stored one, which stays in use until the new copy is complete and verified and is deleted only then; a failed " +
  "or cancelled re-download leaves the stored video as it was. Refused while a transcript or a trimmed copy exists " +
  "(reset the recording first), and when the source no longer has the file.";

export const bulkDownload = createRoute({
  ...authed,
  method: "post",
  path: "/bulk/download",
  summary: "Run only the download stage for many recordings (by ids or filters)",
  description: `Per recording, as POST /recordings/{id}/download. \`force\`: ${FORCE_DESCRIPTION}`,
  request: { body: { required: true, content: { "application/json": { schema: BulkDownloadBodySchema } } } },
  responses: { 202: jsonContent(BulkResultSchema, "Per recording: the run started (task_id) or why not"), ...authErrors },
});

export const download = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/download",
  summary: "Run only the download stage: copy the Zoom video (and M4A audio) into storage in resumable chunks",
  request: {
    params: IdParam,
    query: RunQuerySchema.pick({ allow_skipped: true }).extend({
      force: z
        .enum(["true", "false"])
        .default("false")
        .transform((v) => v === "true")
        .openapi({ param: { name: "force", in: "query" }, description: FORCE_DESCRIPTION }),
    }),
  },
  responses: {
    202: jsonContent(RunSchema, "The run"),
    404: notFound,
    409: errorResponse("Already downloaded (without force) or downloading, waiting for Zoom, or (with force) no longer at the source"),
    ...authErrors,
  },
});

const control = (action: "pause" | "resume" | "cancel", summary: string, conflictText: string) =>
  createRoute({
    ...authed,
    method: "post",
    path: `/{id}/${action}`,
    summary,
    request: { params: IdParam },
    responses: { 200: jsonContent(RunSchema, "The run after the request"), 404: notFound, 409: errorResponse(conflictText), ...authErrors },
  });

export const pause = control("pause", "Pause the active run: between stages, or after the current chunk of a running stage", "No running run");
export const resume = control("resume", "Resume a paused run from where it stopped", "The run is not paused");
export const cancel = control("cancel", "Cancel the active run; partial output is discarded and the recording returns to its last stable status", "No active run");
export const retry = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/retry",
  summary: "Retry a failed run from the stage that failed, with the same overrides",
  request: { params: IdParam },
  responses: { 202: jsonContent(RunSchema, "The new run"), 404: notFound, 409: errorResponse("The latest run did not fail"), ...authErrors },
});

export const reset = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/reset",
  summary: "Reset the recording to the start of the pipeline (§4.8), keeping template, mapping and overrides",
  request: {
    params: IdParam,
    query: z.object({
      delete_files: z
        .enum(["true", "false"])
        .default("true")
        .transform((v) => v === "true")
        .openapi({ param: { name: "delete_files", in: "query" }, description: "Also delete the stored source when it can be fetched again" }),
    }),
  },
  responses: {
    200: jsonContent(ResetSchema, "What was deleted and the new status"),
    404: notFound,
    409: errorResponse("A run is active; cancel it first"),
    ...authErrors,
  },
});

export const runs = createRoute({
  ...authed,
  method: "get",
  path: "/{id}/runs",
  summary: "The recording's runs, newest first, with per-stage status, attempts, timings and errors",
  request: { params: IdParam },
  responses: { 200: jsonContent(z.object({ items: z.array(RunSchema) }), "Runs"), 404: notFound, ...authErrors },
});
