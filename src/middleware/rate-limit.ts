import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { enforceRateLimit } from "../services/rate-limit";

export function clientIp(headers: { header(name: string): string | undefined }): string {
  return headers.header("CF-Connecting-IP") ?? headers.header("X-Real-IP") ?? "unknown";
}

/** Brute-force protection for the unauthenticated auth endpoints, keyed by client IP. */
export const authRateLimit = createMiddleware<AppBindings>(async (c, next) => {
  const config = c.get("config");
  if (config.RATE_LIMIT_ENABLED) {
    await enforceRateLimit(c.env.RATE_LIMITER, {
      key: `auth:ip:${clientIp(c.req)}`,
      limit: config.RATE_LIMIT_AUTH_PER_WINDOW,
      periodSeconds: config.RATE_LIMIT_AUTH_WINDOW_SECONDS,
    });
  }
  await next();
});

/** Per-user API limit; runs after `requireAuth`. */
export const apiRateLimit = createMiddleware<AppBindings>(async (c, next) => {
  const config = c.get("config");
  if (!config.RATE_LIMIT_ENABLED) return next();
  const decision = await enforceRateLimit(c.env.RATE_LIMITER, {
    key: `api:user:${c.get("auth").userId}`,
    limit: config.RATE_LIMIT_API_PER_MINUTE,
    periodSeconds: 60,
  });
  await next();
  c.header("X-RateLimit-Limit", String(decision.limit));
  c.header("X-RateLimit-Remaining", String(decision.remaining));
});
