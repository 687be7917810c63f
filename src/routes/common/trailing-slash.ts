import { getPath } from "hono/utils/url";

/**
 * Routes a path under `prefix` with a trailing slash like the path without it, for every method:
 * LEAP's clients call `/api/v1/credentials/` (its collection paths literally end with "/"). A
 * rewrite, not a redirect: a 301 turns a POST into a GET in many HTTP clients.
 */
export function ignoreTrailingSlashUnder(prefix: string): (request: Request) => string {
  return (request) => {
    const path = getPath(request);
    return path.length > prefix.length + 1 && path.startsWith(`${prefix}/`) && path.endsWith("/") ? path.slice(0, -1) : path;
  };
}
