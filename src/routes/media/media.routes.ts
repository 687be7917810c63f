import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { MAX_MEDIA_TOKEN_LENGTH, MEDIA_KINDS } from "../../lib/media-token";
import { authErrors, commonErrors, errorResponse, jsonContent } from "../common/schemas";
import { IdParam } from "../recordings/recordings.routes";

const binary = { schema: z.string().openapi({ format: "binary" }) };
const mediaTypes = ["video/mp4", "audio/mp4", "audio/mpeg", "text/vtt", "application/x-subrip", "application/json"];
const fileContent = Object.fromEntries(mediaTypes.map((type) => [type, binary]));

export const MediaLinkSchema = z
  .object({
    kind: z.enum(MEDIA_KINDS),
    url: z.string().openapi({ description: "The signed URL (no account needed; supports Range)" }),
    expires_at: z.string().openapi({ description: "When the URL stops working; ask again before then" }),
  })
  .openapi("MediaLink");

export const recordingMedia = createRoute({
  tags: ["Media"],
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
  method: "get",
  path: "/{id}/media/{kind}",
  summary: "Redirect to a short-lived signed URL of one of the recording's files",
  description:
    "Kinds: `original` (the source video), `processed` (the trimmed video), `audio`, `transcript` (JSON), `srt`, `vtt`. " +
    "Answers 302 to `/api/v1/media/{token}`, valid for MEDIA_URL_TTL_SECONDS (default 600 s). `download=1` makes the file an " +
    "attachment named after the recording. With `Accept: application/json` it answers 200 with the URL and its expiry instead of " +
    "redirecting (for players, which must renew the URL before it expires). A kind the pipeline has not produced yet answers 404.",
  request: {
    params: IdParam.extend({ kind: z.enum(MEDIA_KINDS).openapi({ param: { name: "kind", in: "path" } }) }),
    query: z.object({
      download: z.enum(["0", "1", "true", "false"]).optional().openapi({ param: { name: "download", in: "query" }, description: "1: Content-Disposition attachment" }),
    }),
  },
  responses: {
    200: jsonContent(MediaLinkSchema, "The signed URL and its expiry (when the request accepts application/json)"),
    302: { description: "Location: the signed URL", headers: { Location: { schema: { type: "string" } } } },
    404: errorResponse("No such recording of the caller, or no file of that kind yet"),
    ...authErrors,
  },
});

export const signedMedia = createRoute({
  tags: ["Media"],
  method: "get",
  path: "/{token}",
  summary: "A file by signed URL (no account needed; HEAD too)",
  description:
    "Streams the object from storage. `Range: bytes=a-b`, `a-` and `-n` answer 206 with Content-Range; a range past the end " +
    "answers 416 with `Content-Range: bytes */size`. Several ranges answer 206 when they merge into one, else 200 with the whole " +
    "file; a malformed Range is ignored (200). Strong ETag, If-None-Match (304) and If-Range are honoured. An invalid, tampered " +
    "or expired signature answers 403 whether or not the file exists; a deleted recording or a revoked share link 404.",
  request: {
    params: z.object({ token: z.string().min(1).max(MAX_MEDIA_TOKEN_LENGTH).openapi({ param: { name: "token", in: "path" } }) }),
  },
  responses: {
    200: { description: "The whole file", content: fileContent },
    206: { description: "One byte range of the file", content: fileContent },
    304: { description: "Not modified (If-None-Match matched the ETag)" },
    403: errorResponse("Invalid, tampered or expired signature"),
    404: errorResponse("The recording was deleted, the share link revoked, or the file replaced"),
    416: errorResponse("Range not satisfiable (Content-Range: bytes */size)"),
    ...commonErrors,
  },
});
