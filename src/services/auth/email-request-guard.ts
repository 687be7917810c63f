import type { ServiceContext } from "../context";
import { enforceRateLimit } from "../rate-limit";

/**
 * Requests that make us send an e-mail (forgot-password, resend-verification) are limited per
 * client address and per target address, so nobody can mail-bomb an inbox or use us to spam. The
 * per-address count is kept for unknown addresses exactly as for known ones, so a 429 says
 * nothing about which accounts exist.
 */
export async function guardEmailRequest(ctx: ServiceContext, input: { kind: string; clientAddress: string; email: string }): Promise<void> {
  if (!ctx.config.RATE_LIMIT_ENABLED) return;
  const now = ctx.clock.now().getTime();
  await enforceRateLimit(
    ctx.env.RATE_LIMITER,
    { key: `auth:${input.kind}:ip:${input.clientAddress}`, limit: ctx.config.AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR, periodSeconds: 3_600 },
    now,
  );
  await enforceRateLimit(
    ctx.env.RATE_LIMITER,
    { key: `auth:${input.kind}:email:${input.email}`, limit: ctx.config.AUTH_EMAIL_REQUESTS_PER_ADDRESS_PER_HOUR, periodSeconds: 3_600 },
    now,
  );
}
