import { createMiddleware } from "hono/factory";
import ipaddr from "ipaddr.js";
import type { AppBindings } from "../app-types";
import { enforceApiRateLimit } from "../services/api-rate-limit";
import { enforceRateLimit } from "../services/rate-limit";

interface HeaderSource {
  header(name: string): string | undefined;
}

/** The raw client address Cloudflare reports (`X-Real-IP` only matters to local tools). */
export function clientIp(headers: HeaderSource): string {
  return headers.header("CF-Connecting-IP") ?? headers.header("X-Real-IP") ?? "unknown";
}

/**
 * The client address as a rate-limit key: an IPv4 address (IPv4-mapped IPv6 included) as itself,
 * an IPv6 address by its /64, because one subscriber or host is routinely handed a whole /64 and
 * would otherwise get 2^64 fresh budgets.
 */
export function clientAddress(headers: HeaderSource): string {
  const raw = clientIp(headers).trim();
  if (!ipaddr.isValid(raw)) return raw.slice(0, 64);
  const address = ipaddr.process(raw);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(":")}::/64`;
}

/**
 * Registration creates accounts, so every attempt counts, per client address; the ceiling is
 * generous because a whole campus can sit behind one NAT address.
 */
export const registerRateLimit = createMiddleware<AppBindings>(async (c, next) => {
  const config = c.get("config");
  if (config.RATE_LIMIT_ENABLED) {
    await enforceRateLimit(c.env.RATE_LIMITER, {
      key: `auth:register:ip:${clientAddress(c.req)}`,
      limit: config.AUTH_REGISTRATIONS_PER_IP_PER_HOUR,
      periodSeconds: 3_600,
    });
  }
  await next();
});

/**
 * Per-user API limit; runs after `requireAuth`. On the rate-limiting binding (no Durable Object
 * round trip per request), which cannot tell the remaining budget: only the limit is reported.
 */
export const apiRateLimit = createMiddleware<AppBindings>(async (c, next) => {
  const config = c.get("config");
  if (!config.RATE_LIMIT_ENABLED) return next();
  await enforceApiRateLimit(c.env.API_RATE_LIMITER, c.get("auth").userId, config.RATE_LIMIT_API_PER_MINUTE);
  await next();
  c.header("X-RateLimit-Limit", String(config.RATE_LIMIT_API_PER_MINUTE));
});
