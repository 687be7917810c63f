import type { RateLimitDecision } from "../durable/rate-limiter";
import { rateLimited } from "../lib/errors";

export interface RateLimitRule {
  key: string;
  limit: number;
  periodSeconds: number;
}

/** Consumes one unit of `rule.key`; throws RATE_LIMITED (429 + Retry-After) when exhausted. */
export async function enforceRateLimit(namespace: Env["RATE_LIMITER"], rule: RateLimitRule): Promise<RateLimitDecision> {
  const stub = namespace.get(namespace.idFromName(rule.key));
  const decision = await stub.consume(rule.limit, rule.periodSeconds * 1000);
  if (!decision.allowed) {
    throw rateLimited(decision.retryAfterSeconds, { limit: rule.limit, periodSeconds: rule.periodSeconds });
  }
  return decision;
}
