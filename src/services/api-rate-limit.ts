import * as Sentry from "@sentry/cloudflare";
import { rateLimited } from "../lib/errors";
import { log } from "../lib/logger";

/** The binding's period (wrangler.toml `[[ratelimits]]`; the platform allows only 10 or 60). */
export const API_RATE_LIMIT_PERIOD_SECONDS = 60;

/**
 * Counts one API call of a user on the Workers rate-limiting binding: local to the data centre,
 * so no round trip, but approximate (counted per location, eventually consistent) and blind to
 * the remaining budget, which is why exact counters stay in Durable Objects. `limit` is what the
 * binding was configured with (RATE_LIMIT_API_PER_MINUTE), reported to the client. Fails open, as
 * the Durable Object limiter does: an unreachable limiter must not lock every user out.
 */
export async function enforceApiRateLimit(limiter: RateLimit, userId: string, limit: number): Promise<void> {
  let success: boolean;
  try {
    ({ success } = await limiter.limit({ key: `api:user:${userId}` }));
  } catch (error) {
    log.error("API rate limiter unavailable; allowing request", { error });
    Sentry.captureException(error);
    return;
  }
  // The binding does not say when its window rolls over: one full period is always enough.
  if (!success) throw rateLimited(API_RATE_LIMIT_PERIOD_SECONDS, { limit, periodSeconds: API_RATE_LIMIT_PERIOD_SECONDS });
}
