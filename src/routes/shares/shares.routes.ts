import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, commonErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import { IdParam } from "../recordings/recordings.routes";
import { CreatedShareSchema, NewShareSchema, PublicShareSchema, ShareSchema } from "./shares.schemas";

const authed = { tags: ["Share links"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const notFound = errorResponse("No such recording (or share link) of the caller");

export const create = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/shares",
  summary: "Make a public share link of a recording (the token is shown once)",
  request: { params: IdParam, body: jsonBody(NewShareSchema) },
  responses: { 201: jsonContent(CreatedShareSchema, "The link, with its token and URL"), 404: notFound, ...authErrors },
});

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/{id}/shares",
  summary: "The recording's share links with view counts (tokens are never shown again)",
  request: { params: IdParam },
  responses: { 200: jsonContent(z.object({ items: z.array(ShareSchema) }), "Newest first, revoked and expired included"), 404: notFound, ...authErrors },
});

export const revoke = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}/shares/{share_id}",
  summary: "Revoke a share link at once (its media URLs stop too)",
  request: { params: IdParam.extend({ share_id: z.coerce.number().int().positive().openapi({ param: { name: "share_id", in: "path" } }) }) },
  responses: { 200: jsonContent(ShareSchema, "The revoked link"), 404: notFound, ...authErrors },
});

export const view = createRoute({
  tags: ["Share links"],
  method: "get",
  path: "/{token}",
  summary: "A shared recording, for anyone holding the link (no account)",
  description:
    "Title, description, duration, chapters, transcript segments, and signed short-lived URLs of the video (trimmed if present, " +
    "else the original) and subtitles. A password-protected link needs the password in the `X-Share-Password` header, percent-encoded as " +
    "UTF-8 (`encodeURIComponent`; header values are ASCII in browsers); wrong " +
    "passwords are limited per link and client address (429 with Retry-After). Unknown, expired and revoked links, and links " +
    "of deleted recordings, all answer 404. Each successful answer counts one view.",
  request: {
    params: z.object({ token: z.string().min(1).max(200).openapi({ param: { name: "token", in: "path" } }) }),
    headers: z.object({ "x-share-password": z.string().max(1_800).optional().openapi({ description: "The link's password, percent-encoded UTF-8" }) }),
  },
  responses: {
    200: jsonContent(PublicShareSchema, "The shared recording"),
    401: errorResponse("The link needs a password, or the password is wrong (details.password_required)"),
    404: errorResponse("No such link (or expired, revoked, recording deleted)"),
    ...commonErrors,
  },
});
