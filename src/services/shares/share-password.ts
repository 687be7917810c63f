import { AppError } from "../../lib/errors";
import { verifyPassword } from "../../lib/password";
import { accountPolicy } from "../auth/login-guard";
import type { ServiceContext } from "../context";
import { beginAttempt, clearFailures } from "../rate-limit";

const needed = (message: string) => new AppError("UNAUTHORIZED", message, { details: { password_required: true } });

/**
 * The password of a protected link, under the sign-in machinery's growing delays (RateLimiter
 * failure counter, same policy as an account), keyed by link and client address: a guesser is
 * slowed down on that link without locking out other visitors of it. Each attempt counts before
 * the hash is checked and is forgotten when the password is right, so parallel guesses cannot
 * all slip in before the first failure is written.
 */
export async function checkSharePassword(ctx: ServiceContext, share: { id: number; passwordHash: string }, password: string | undefined, address: string): Promise<void> {
  if (password === undefined || password === "") throw needed("This link is protected by a password; send it in the X-Share-Password header");
  const key = `share:password-failures:${share.id}:${address}`;
  if (ctx.config.RATE_LIMIT_ENABLED) {
    const decision = await beginAttempt(ctx.env.RATE_LIMITER, key, accountPolicy(ctx.config), ctx.clock.now().getTime());
    if (!decision.allowed) {
      throw new AppError("RATE_LIMITED", `Too many wrong passwords for this link; retry in ${decision.retryAfterSeconds} s`, {
        headers: { "Retry-After": String(decision.retryAfterSeconds) },
        details: { retry_after_seconds: decision.retryAfterSeconds },
      });
    }
  }
  if (!(await verifyPassword(password, share.passwordHash))) throw needed("Wrong password for this link");
  if (ctx.config.RATE_LIMIT_ENABLED) await clearFailures(ctx.env.RATE_LIMITER, key);
}
