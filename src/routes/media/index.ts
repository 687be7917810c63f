import { serviceContext } from "../../services/context";
import { deliverSignedMedia } from "../../services/media/media-delivery.service";
import { recordingMediaUrl } from "../../services/media/media-links.service";
import { createRouter } from "../router";
import * as routes from "./media.routes";

/** `Accept: application/json` (exactly that type, not a wildcard) asks for the link as JSON instead of a redirect. */
function acceptsJson(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((part) => part.split(";")[0]!.trim().toLowerCase() === "application/json");
}

/** Mounted under /recordings. */
export const recordingMediaRouter = createRouter().openapi(routes.recordingMedia, async (c) => {
  const { id, kind } = c.req.valid("param");
  const { download } = c.req.valid("query");
  const signed = await recordingMediaUrl(serviceContext(c.env), c.get("auth").userId, id, kind, {
    origin: new URL(c.req.url).origin,
    download: download === "1" || download === "true",
  });
  // The Location is a bearer capability: nothing may cache the redirect.
  c.header("Cache-Control", "no-store");
  c.header("Vary", "Accept");
  if (acceptsJson(c.req.header("Accept"))) return c.json({ kind, url: signed.url, expires_at: signed.expiresAt.toISOString() }, 200);
  return c.redirect(signed.url, 302);
});

/** Mounted under /media; Hono answers HEAD with this GET route, minus the body. */
export const signedMediaRouter = createRouter().openapi(routes.signedMedia, async (c) => {
  const answer = await deliverSignedMedia(serviceContext(c.env), c.req.valid("param").token, {
    method: c.req.method === "HEAD" ? "HEAD" : "GET",
    header: (name) => c.req.header(name),
  });
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
});
