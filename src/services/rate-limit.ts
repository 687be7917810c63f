import type { RateLimitDecision } from "../durable/rate-limiter";
import * as Sentry from "@sentry/cloudflare";
import { rateLimited } from "../lib/errors";
import { log } from "../lib/logger";

export interface RateLimitRule {
  key: string;
  limit: number;
  periodSeconds: number;
}

/**
 * Consumes one unit of `rule.key`; throws RATE_LIMITED (429 + Retry-After) when exhausted.
 * Fails open: if the limiter itself is unreachable the request proceeds (and the fault is
 * reported), because locking every user out is worse than a short unthrottled window.
 */
export async function enforceRateLimit(namespace: Env["RATE_LIMITER"], rule: RateLimitRule): Promise<RateLimitDecision> {
  const stub = namespace.get(namespace.idFromName(rule.key));
  let decision: RateLimitDecision;
  try {
    decision = await stub.consume(rule.limit, rule.periodSeconds * 1000);
  } catch (error) {
    log.error("rate limiter unavailable; allowing request", { error, limit: rule.limit });
    Sentry.captureException(error);
    return { allowed: true, limit: rule.limit, remaining: rule.limit, retryAfterSeconds: 0 };
  }
  if (!decision.allowed) {
    throw rateLimited(decision.retryAfterSeconds, { limit: rule.limit, periodSeconds: rule.periodSeconds });
  }
  return decision;
}
