import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppBindings } from "../app-types";
import { validationError } from "../lib/validation";
import { rejectUnknownQuery } from "./common/strict-query";

/**
 * Every router validates with zod and turns failures into the standard 400 envelope, and every
 * route refuses query parameters it does not declare (see `common/strict-query.ts`). The check
 * runs after the route's own middleware, so an unauthenticated call still gets its 401 first.
 */
export function createRouter(options: { getPath?: (request: Request) => string } = {}): OpenAPIHono<AppBindings> {
  const router = new OpenAPIHono<AppBindings>({
    ...options,
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error as ZodError, result.target);
    },
  });
  const register = router.openapi;
  router.openapi = ((route, handler, hook) => {
    const strict = rejectUnknownQuery(route);
    if (!strict) return register(route, handler, hook);
    const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
    return register({ ...route, middleware: [...own, strict] }, handler, hook);
  }) as typeof router.openapi;
  return router;
}
