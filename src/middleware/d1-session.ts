import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { SessionDatabase } from "../db/session-database";
import { deriveEnv } from "../lib/config";
import { badRequest } from "../lib/errors";

export const D1_BOOKMARK_HEADER = "x-d1-bookmark";

/** D1 bookmarks are dash-separated hex groups; anything else is refused before it reaches D1. */
const BOOKMARK = /^[0-9a-f]{1,64}(?:-[0-9a-f]{1,64}){0,7}$/i;

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Runs the request's D1 work in one Sessions API session so reads can be served by the nearest
 * replica. The client's bookmark (`x-d1-bookmark`, from its previous response) anchors the
 * session, so it reads its own writes; without one, a read may start anywhere and a write starts
 * at the primary, so a request that checks then writes never decides on stale rows. The newest
 * bookmark goes back in the response. Queue consumers and crons use the binding (the primary).
 */
export const d1Session = createMiddleware<AppBindings>(async (c, next) => {
  const incoming = c.req.header(D1_BOOKMARK_HEADER)?.trim();
  if (incoming !== undefined && incoming !== "" && !BOOKMARK.test(incoming)) {
    throw badRequest(`${D1_BOOKMARK_HEADER} is not a D1 bookmark; send back the value of a previous response, or nothing`);
  }
  const constraint = incoming || (READS.has(c.req.method) ? "first-unconstrained" : "first-primary");
  const db = new SessionDatabase(c.env.DB, c.env.DB.withSession(constraint), incoming || null);
  c.env = deriveEnv(c.env, { DB: db });
  try {
    await next();
  } finally {
    const bookmark = db.bookmark();
    if (bookmark) c.header(D1_BOOKMARK_HEADER, bookmark);
  }
});
