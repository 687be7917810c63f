import type { FailurePolicy } from "../../durable/rate-limiter";
import type { AppConfig } from "../../lib/config";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/logger";
import { verifyPassword } from "../../lib/password";
import type { ServiceContext } from "../context";
import { beginAttempt, clearFailures, consumeRateLimit, refundRateLimit, type RateLimitRule } from "../rate-limit";

/**
 * Brute-force limits that count failures, never successes, so a campus behind one NAT address or
 * a tab refreshing its token is never refused because of other people's traffic:
 *
 * - per account (the normalised e-mail, known or not, so a 429 reveals nothing about which
 *   accounts exist): after AUTH_MAX_FAILURES_PER_ACCOUNT consecutive failures every attempt waits
 *   base·2^n seconds, capped, and the lock ends by itself; a successful sign-in clears it;
 * - per client address: a much higher ceiling of failures per window (password spraying across
 *   many accounts from one place).
 *
 * Each attempt is counted before the password is checked and given back when it succeeds, so
 * parallel guesses cannot all pass before the first failure is written.
 */

/** 429 with Retry-After; the same answer whether or not the account exists. */
const tooMany = (message: string, retryAfterSeconds: number) =>
  new AppError("RATE_LIMITED", `${message}; retry in ${retryAfterSeconds} s`, {
    headers: { "Retry-After": String(retryAfterSeconds) },
    details: { retry_after_seconds: retryAfterSeconds },
  });

export function accountPolicy(config: AppConfig): FailurePolicy {
  return {
    freeFailures: config.AUTH_MAX_FAILURES_PER_ACCOUNT,
    baseDelayMs: config.AUTH_LOCK_BASE_SECONDS * 1000,
    maxDelayMs: config.AUTH_LOCK_MAX_SECONDS * 1000,
    forgetAfterMs: config.RATE_LIMIT_AUTH_WINDOW_SECONDS * 1000,
  };
}

const accountKey = (email: string) => `auth:login-failures:email:${email}`;

const addressRule = (config: AppConfig, kind: "login" | "refresh", address: string): RateLimitRule => ({
  key: `auth:${kind}-failures:ip:${address}`,
  limit: config.RATE_LIMIT_AUTH_PER_WINDOW,
  periodSeconds: config.RATE_LIMIT_AUTH_WINDOW_SECONDS,
});

export interface LoginAttempt {
  /** The password was right: the attempt does not count, and the account's failures are forgotten. */
  succeeded(): Promise<void>;
}

const UNGUARDED: LoginAttempt = { succeeded: async () => undefined };

/** Admits one sign-in attempt or throws 429 with Retry-After; counts it as failed until `succeeded`. */
export async function startLoginAttempt(ctx: ServiceContext, email: string, address: string): Promise<LoginAttempt> {
  if (!ctx.config.RATE_LIMIT_ENABLED) return UNGUARDED;
  const limiter = ctx.env.RATE_LIMITER;
  const now = ctx.clock.now().getTime();
  const perAddress = addressRule(ctx.config, "login", address);
  const fromAddress = await consumeRateLimit(limiter, perAddress, now);
  if (!fromAddress.allowed) {
    log.warn("sign-in refused: failure ceiling of the client address reached");
    throw tooMany("Too many failed sign-in attempts from this address", fromAddress.retryAfterSeconds);
  }
  const forAccount = await beginAttempt(limiter, accountKey(email), accountPolicy(ctx.config), now);
  if (!forAccount.allowed) {
    // A refused attempt checks no password, so it is not a failure of the address either.
    await refundRateLimit(limiter, perAddress, now);
    log.warn("sign-in refused: account locked after failed attempts", { failures: forAccount.failures });
    throw tooMany("Too many failed sign-in attempts for this account", forAccount.retryAfterSeconds);
  }
  return {
    succeeded: async () => {
      await Promise.all([clearFailures(limiter, accountKey(email)), refundRateLimit(limiter, perAddress, now)]);
    },
  };
}

/** Lets the owner in again at once (password changed or reset). */
export async function clearLoginFailures(ctx: ServiceContext, email: string): Promise<void> {
  await clearFailures(ctx.env.RATE_LIMITER, accountKey(email));
}

/**
 * Counts a refresh token that did not work against the client address, and answers 429 past the
 * ceiling. Only invalid tokens count, and the count is kept apart from sign-in failures, so a
 * valid token is never refused and a client stuck on a stale token cannot lock its campus out of
 * signing in.
 */
export async function recordInvalidRefresh(ctx: ServiceContext, address: string): Promise<void> {
  if (!ctx.config.RATE_LIMIT_ENABLED) return;
  const decision = await consumeRateLimit(ctx.env.RATE_LIMITER, addressRule(ctx.config, "refresh", address), ctx.clock.now().getTime());
  if (!decision.allowed) {
    throw tooMany("Too many invalid refresh tokens from this address", decision.retryAfterSeconds);
  }
}

/**
 * Checks the current password of a signed-in user (changing e-mail or password, deleting the
 * account) under the same growing delays, keyed by the user, so a stolen access token cannot be
 * turned into an unlimited password oracle. The key is separate from the sign-in one: someone
 * guessing at the login form cannot block the owner's own settings.
 */
export async function verifyCurrentPassword(ctx: ServiceContext, user: { id: string; passwordHash: string }, password: string): Promise<boolean> {
  const key = `auth:reverify:user:${user.id}`;
  if (ctx.config.RATE_LIMIT_ENABLED) {
    const decision = await beginAttempt(ctx.env.RATE_LIMITER, key, accountPolicy(ctx.config), ctx.clock.now().getTime());
    if (!decision.allowed) throw tooMany("Too many wrong passwords", decision.retryAfterSeconds);
  }
  const valid = await verifyPassword(password, user.passwordHash);
  if (valid && ctx.config.RATE_LIMIT_ENABLED) await clearFailures(ctx.env.RATE_LIMITER, key);
  return valid;
}
