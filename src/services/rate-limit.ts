import type { AttemptDecision, FailurePolicy, RateLimitDecision, RateLimiter } from "../durable/rate-limiter";
import * as Sentry from "@sentry/cloudflare";
import { rateLimited } from "../lib/errors";
import { log } from "../lib/logger";

export interface RateLimitRule {
  key: string;
  limit: number;
  periodSeconds: number;
}

type LimiterStub = DurableObjectStub<RateLimiter>;

const stubFor = (namespace: Env["RATE_LIMITER"], key: string): LimiterStub => namespace.get(namespace.idFromName(key));

/**
 * Runs one limiter call. Fails open: if the limiter itself is unreachable the request proceeds
 * (and the fault is reported), because locking every user out is worse than a short unthrottled
 * window.
 */
async function failOpen<T>(what: string, call: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    log.error("rate limiter unavailable; allowing request", { error, what });
    Sentry.captureException(error);
    return fallback;
  }
}

/** Consumes one unit of `rule.key` and reports the decision; never throws. */
export function consumeRateLimit(namespace: Env["RATE_LIMITER"], rule: RateLimitRule, nowMs = Date.now()): Promise<RateLimitDecision> {
  return failOpen<RateLimitDecision>(
    "consume",
    () => stubFor(namespace, rule.key).consume(rule.limit, rule.periodSeconds * 1000, nowMs),
    { allowed: true, limit: rule.limit, remaining: rule.limit, retryAfterSeconds: 0 },
  );
}

/** Gives back a unit that `consumeRateLimit` reserved for an attempt that turned out not to count. */
export function refundRateLimit(namespace: Env["RATE_LIMITER"], rule: RateLimitRule, nowMs = Date.now()): Promise<void> {
  return failOpen("refund", () => stubFor(namespace, rule.key).refund(rule.limit, rule.periodSeconds * 1000, nowMs), undefined);
}

export function refusal(decision: { retryAfterSeconds: number }, details?: unknown) {
  return rateLimited(decision.retryAfterSeconds, details);
}

/** Consumes one unit of `rule.key`; throws RATE_LIMITED (429 + Retry-After) when exhausted. */
export async function enforceRateLimit(namespace: Env["RATE_LIMITER"], rule: RateLimitRule, nowMs = Date.now()): Promise<RateLimitDecision> {
  const decision = await consumeRateLimit(namespace, rule, nowMs);
  if (!decision.allowed) throw refusal(decision, { limit: rule.limit, periodSeconds: rule.periodSeconds });
  return decision;
}

/** Admits and counts an attempt against a failure counter (see `RateLimiter.beginAttempt`). */
export function beginAttempt(namespace: Env["RATE_LIMITER"], key: string, policy: FailurePolicy, nowMs: number): Promise<AttemptDecision> {
  return failOpen<AttemptDecision>("beginAttempt", () => stubFor(namespace, key).beginAttempt(policy, nowMs), { allowed: true, failures: 0, retryAfterSeconds: 0 });
}

/** Forgets a failure counter: the attempt succeeded, or the owner proved who they are. */
export function clearFailures(namespace: Env["RATE_LIMITER"], key: string): Promise<void> {
  return failOpen("clearFailures", () => stubFor(namespace, key).clearFailures(), undefined);
}
