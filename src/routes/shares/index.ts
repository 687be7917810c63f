import { clientAddress } from "../../middleware/rate-limit";
import { serviceContext } from "../../services/context";
import { visitShare } from "../../services/shares/public-share.service";
import * as service from "../../services/shares/shares.service";
import { createRouter } from "../router";
import { toShareResponse } from "./shares.schemas";
import * as routes from "./shares.routes";

const origin = (url: string) => new URL(url).origin;

/** Header values are ASCII in browsers, so the password travels percent-encoded (UTF-8); a value that is not valid percent-encoding is taken as it is. */
function decodePassword(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

/** Mounted under /recordings. */
export const sharesRouter = createRouter()
  .openapi(routes.create, async (c) => {
    const ctx = serviceContext(c.env);
    const body = c.req.valid("json");
    const { share, token, url } = await service.createShare(
      ctx,
      c.get("auth").userId,
      c.req.valid("param").id,
      { expiresAt: body.expires_at ? new Date(body.expires_at) : undefined, allowDownload: body.allow_download, password: body.password },
      origin(c.req.url),
    );
    c.header("Cache-Control", "no-store");
    return c.json({ ...toShareResponse(share, ctx.clock.now()), token, url }, 201);
  })
  .openapi(routes.list, async (c) => {
    const ctx = serviceContext(c.env);
    const shares = await service.listShares(ctx, c.get("auth").userId, c.req.valid("param").id);
    return c.json({ items: shares.map((s) => toShareResponse(s, ctx.clock.now())) }, 200);
  })
  .openapi(routes.revoke, async (c) => {
    const ctx = serviceContext(c.env);
    const { id, share_id: shareId } = c.req.valid("param");
    return c.json(toShareResponse(await service.revokeShare(ctx, c.get("auth").userId, id, shareId), ctx.clock.now()), 200);
  });

/** Mounted under /public/shares: no auth middleware at all. */
export const publicSharesRouter = createRouter().openapi(routes.view, async (c) => {
  const view = await visitShare(serviceContext(c.env), {
    token: c.req.valid("param").token,
    password: decodePassword(c.req.valid("header")["x-share-password"]),
    address: clientAddress(c.req),
    origin: origin(c.req.url),
  });
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  return c.json(
    {
      ...view,
      start_time: view.start_time.toISOString(),
      expires_at: view.expires_at?.toISOString() ?? null,
      video: view.video ? { ...view.video, expires_at: view.video.expires_at.toISOString() } : null,
    },
    200,
  );
});
