import { createRoute, z } from "@hono/zod-openapi";
import { ULID_PATTERN } from "../../lib/ids";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { DECLARED_KINDS, MAX_PART_SIZE, MIN_PART_SIZE } from "../../services/recordings/upload-sessions.service";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import { RecordingSchema } from "./recordings.schemas";

const authed = { tags: ["Uploads"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const binary = { schema: z.string().openapi({ type: "string", format: "binary" }) };
const UploadParam = z.object({ upload_id: z.string().regex(ULID_PATTERN, "must be an upload id") });
const mediaErrors = {
  404: errorResponse("No such upload of the caller"),
  409: errorResponse("The upload is already completed or aborted"),
  415: errorResponse("Not an MP4, M4A, MOV or WebM file"),
  ...authErrors,
};

export const UploadSessionSchema = z
  .object({
    id: z.string(),
    recording_id: z.number().int().nullable(),
    status: z.enum(["uploading", "completed", "aborted"]),
    size: z.number().int(),
    part_size: z.number().int(),
    part_count: z.number().int(),
    uploaded_parts: z.array(z.number().int()),
    missing_parts: z.array(z.number().int()),
    received_bytes: z.number().int(),
  })
  .openapi("UploadSession");

export const direct = createRoute({
  ...authed,
  tags: ["Recordings", "Uploads"],
  method: "post",
  path: "/",
  summary: "Upload a video as a new recording (source LOCAL)",
  description:
    "Send the file as the raw request body (Content-Type video/mp4, audio/mp4, video/quicktime, video/webm or " +
    "application/octet-stream, with Content-Length) — it streams to storage — or as multipart/form-data field " +
    "`file` (kept small). Larger files use upload sessions. The type is checked by the file's first bytes.",
  request: {
    query: z.object({
      display_name: z.string().trim().min(1).max(500),
      filename: z.string().trim().max(255).optional(),
    }),
    // Not `required`: the form validator must only run for multipart bodies, never buffer a raw one.
    body: {
      required: false,
      content: {
        "video/mp4": binary,
        "audio/mp4": binary,
        "video/quicktime": binary,
        "video/webm": binary,
        "application/octet-stream": binary,
        "multipart/form-data": { schema: z.object({ file: z.instanceof(File).openapi({ type: "string", format: "binary" }) }) },
      },
    },
  },
  responses: {
    201: jsonContent(RecordingSchema, "The new recording (status DOWNLOADED)"),
    411: errorResponse("Content-Length is required for a raw body"),
    ...mediaErrors,
  },
});

export const createSession = createRoute({
  ...authed,
  method: "post",
  path: "/uploads",
  summary: "Start a resumable upload of a large file (R2 multipart)",
  request: {
    body: jsonBody(
      z
        .object({
          display_name: z.string().trim().min(1).max(500),
          filename: z.string().trim().max(255).optional(),
          size: z.number().int().positive(),
          content_type: z.enum(Object.keys(DECLARED_KINDS) as [string, ...string[]]),
          part_size: z.number().int().min(MIN_PART_SIZE).max(MAX_PART_SIZE).optional(),
        })
        .strict()
        .openapi("UploadSessionCreate"),
    ),
  },
  responses: { 201: jsonContent(UploadSessionSchema, "Send parts 1…part_count next"), ...mediaErrors },
});

export const UploadLimitsSchema = z
  .object({
    max_size: z.number().int().openapi({ description: "Largest file an upload session accepts (bytes)" }),
    min_part_size: z.number().int().openapi({ description: "Smallest part_size (every part but the last is exactly part_size)" }),
    max_part_size: z.number().int(),
    default_part_size: z.number().int(),
    max_parts: z.number().int(),
    content_types: z.array(z.string()).openapi({ description: "content_type values a session accepts" }),
    extensions: z.array(z.string()).openapi({ description: "File name extensions of those types (without the dot)" }),
  })
  .openapi("UploadLimits");

export const limits = createRoute({
  ...authed,
  method: "get",
  path: "/uploads/limits",
  summary: "What an upload session accepts: file types, largest size and part sizes",
  responses: { 200: jsonContent(UploadLimitsSchema, "The limits of this deployment"), ...authErrors },
});

export const getSession = createRoute({
  ...authed,
  method: "get",
  path: "/uploads/{upload_id}",
  summary: "Which parts have arrived (to resume)",
  request: { params: UploadParam },
  responses: { 200: jsonContent(UploadSessionSchema, "Upload progress"), ...mediaErrors },
});

export const putPart = createRoute({
  ...authed,
  method: "put",
  path: "/uploads/{upload_id}/parts/{part_number}",
  summary: "Send one part (exactly part_size bytes; the last part the remainder). Re-sending replaces it.",
  request: {
    params: UploadParam.extend({ part_number: z.coerce.number().int().min(1).max(10_000) }),
    body: { required: true, content: { "application/octet-stream": binary } },
  },
  responses: {
    200: jsonContent(z.object({ part_number: z.number().int(), etag: z.string(), size: z.number().int() }), "Stored"),
    411: errorResponse("Content-Length is required"),
    ...mediaErrors,
  },
});

export const complete = createRoute({
  ...authed,
  method: "post",
  path: "/uploads/{upload_id}/complete",
  summary: "Assemble the parts into the recording's source file",
  request: { params: UploadParam },
  responses: { 200: jsonContent(RecordingSchema, "The recording (status DOWNLOADED)"), ...mediaErrors },
});

export const abort = createRoute({
  ...authed,
  method: "delete",
  path: "/uploads/{upload_id}",
  summary: "Cancel an upload and discard its parts",
  request: { params: UploadParam },
  responses: { 200: jsonContent(z.object({ message: z.string() }), "Aborted"), ...mediaErrors },
});
