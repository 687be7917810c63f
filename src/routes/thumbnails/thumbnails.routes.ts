import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { CUSTOM_FILENAME_PATTERN, THUMBNAIL_NAME_PATTERN } from "../../services/thumbnails/thumbnails.service";
import { authErrors, errorResponse, jsonContent } from "../common/schemas";

const authed = { tags: ["Thumbnails"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const binary = { schema: z.string().openapi({ type: "string", format: "binary" }) };
const NameParam = z.object({
  name: z
    .string()
    .regex(THUMBNAIL_NAME_PATTERN, "must be letters, digits, _ or - (at most 100) and .png, .jpg or .jpeg")
    .openapi({ param: { name: "name", in: "path" }, example: "python_base.png" }),
});
const imageErrors = {
  ...authErrors,
  413: errorResponse("Larger than 2 MB"),
  415: errorResponse("Not a PNG or JPEG image (checked by its first bytes)"),
};
const FileForm = z.object({ file: z.instanceof(File).openapi({ type: "string", format: "binary" }) });
// An empty form field is the same as leaving it out.
const customFilename = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.string().max(100).regex(CUSTOM_FILENAME_PATTERN, "may only contain letters, digits, _ and -").optional(),
);

export const ThumbnailSchema = z
  .object({
    name: z.string(),
    url: z.string(),
    is_template: z.boolean().openapi({ description: "A shared default (read-only), not one of the caller's files" }),
    size_bytes: z.number().int(),
    size_kb: z.number(),
    content_type: z.string(),
    modified_at: z.string(),
  })
  .openapi("Thumbnail");

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "The caller's thumbnails, then the shared defaults (is_template) not shadowed by one of theirs",
  responses: { 200: jsonContent(z.object({ thumbnails: z.array(ThumbnailSchema) }), "Thumbnails"), ...authErrors },
});

export const upload = createRoute({
  ...authed,
  method: "post",
  path: "/",
  summary: "Upload a thumbnail (PNG/JPEG, ≤ 2 MB); named custom_filename or the file's name, plus the real extension",
  request: {
    body: {
      required: true,
      content: { "multipart/form-data": { schema: FileForm.extend({ custom_filename: customFilename }) } },
    },
  },
  responses: { 201: jsonContent(ThumbnailSchema, "Stored"), 409: errorResponse("A thumbnail with this name exists (PUT replaces)"), ...imageErrors },
});

export const put = createRoute({
  ...authed,
  method: "put",
  path: "/{name}",
  summary: "Create or replace the caller's thumbnail {name}; the image must match the extension",
  request: { params: NameParam, body: { required: true, content: { "multipart/form-data": { schema: FileForm } } } },
  responses: { 200: jsonContent(ThumbnailSchema, "Replaced"), 201: jsonContent(ThumbnailSchema, "Created"), ...imageErrors },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{name}",
  summary: "The image: the caller's own, else (use_template=true) the shared default",
  request: { params: NameParam, query: z.object({ use_template: z.enum(["true", "false"]).transform((v) => v === "true").default(true) }) },
  responses: {
    200: { description: "The image", content: { "image/png": binary, "image/jpeg": binary } },
    404: errorResponse("No such thumbnail"),
    ...authErrors,
  },
});

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{name}",
  summary: "Delete one of the caller's thumbnails (shared defaults cannot be deleted)",
  request: { params: NameParam },
  responses: { 204: { description: "Deleted" }, 404: errorResponse("No such thumbnail of the caller"), ...authErrors },
});
