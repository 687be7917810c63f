import type { RouteConfig } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../lib/errors";

/**
 * Query parameters every route accepts and ignores: `_` is the cache-buster that jQuery
 * (`cache: false`) and some HTTP caches append; it never changes an answer.
 */
export const IGNORED_QUERY_PARAMETERS: readonly string[] = ["_"];

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  catchall?: { def?: { type?: string } };
  in?: { def?: SchemaDef };
  innerType?: { def?: SchemaDef };
}

/**
 * The parameter names a route's query schema declares, or null when it accepts any (a loose
 * object: requests third parties build, such as OAuth redirects, carry what the provider adds).
 */
export function declaredQueryParameters(schema: unknown, where: string): string[] | null {
  let def = (schema as { def?: SchemaDef } | undefined)?.def;
  // Transforms, defaults and optional wrappers keep the object's keys on their input side.
  while (def && def.type !== "object") def = def.in?.def ?? def.innerType?.def;
  if (!def?.shape) throw new Error(`${where}: the query schema must be a zod object so unknown parameters can be refused`);
  const catchall = def.catchall?.def?.type;
  if (catchall !== undefined && catchall !== "never") return null;
  return Object.keys(def.shape);
}

/**
 * A client that sends a parameter we do not know believes it changes the answer (a LEAP
 * `status_filter`, a typo such as `per_pag`); ignoring it would hand back something else without
 * a word. So every route refuses query parameters its schema does not declare, with a 400 that
 * names them and lists what the route accepts.
 */
export function rejectUnknownQuery(route: Pick<RouteConfig, "method" | "path" | "request">) {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  const declared = route.request?.query ? declaredQueryParameters(route.request.query, where) : [];
  if (declared === null) return null;
  const accepted = new Set([...declared, ...IGNORED_QUERY_PARAMETERS]);
  return createMiddleware(async (c, next) => {
    const unknown = Object.keys(c.req.queries()).filter((name) => !accepted.has(name));
    if (unknown.length > 0) {
      const names = unknown.map((n) => `"${n.slice(0, 64)}"`).join(", ");
      const allowed = declared.length > 0 ? `this endpoint accepts: ${declared.join(", ")}` : "this endpoint takes no query parameters";
      throw new AppError("VALIDATION_FAILED", `Unknown query parameter${unknown.length > 1 ? "s" : ""} ${names}; ${allowed}`, {
        details: unknown.map((name) => ({ path: name.slice(0, 64), message: "Unknown query parameter", code: "unrecognized_keys", location: "query" })),
      });
    }
    await next();
  });
}
