import { AccountsRepository } from "../../db/repositories/accounts.repository";
import { EmailTokensRepository } from "../../db/repositories/email-tokens.repository";
import { forTenant } from "../../db/repositories/tenant";
import { badRequest } from "../../lib/errors";
import { log } from "../../lib/logger";
import { hashPassword } from "../../lib/password";
import type { ServiceContext } from "../context";
import { passwordResetMessage } from "../email/account-templates";
import { sendEmail } from "../email";
import { hashEmailToken, newEmailToken, resetPasswordUrl } from "./email-links";
import { INVALID_TOKEN } from "./email-verification";
import { guardEmailRequest } from "./email-request-guard";
import { clearLoginFailures } from "./login-guard";
import { normalizeEmail } from "./auth.service";

/**
 * Mails a reset link if the address belongs to a usable account; does nothing otherwise. The
 * route answers before this runs (it is handed to waitUntil), so the answer and its timing are the
 * same whether or not the address is registered.
 */
export async function requestPasswordReset(ctx: ServiceContext, input: { email: string; linkBase: string }): Promise<void> {
  const user = await new AccountsRepository(ctx.db).findByEmail(input.email);
  if (!user?.isActive || user.deletionRequestedAt) {
    log.info("password reset requested for an address without a usable account");
    return;
  }
  const token = newEmailToken("password_reset");
  const now = ctx.clock.now();
  const ttlSeconds = ctx.config.PASSWORD_RESET_TTL_SECONDS;
  // Issuing retires the user's earlier reset links: only the newest one works.
  await new EmailTokensRepository(ctx.db).issue({
    tokenHash: await hashEmailToken(token),
    userId: user.id,
    purpose: "password_reset",
    email: user.email,
    now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  });
  await sendEmail(ctx, { to: user.email, userId: user.id, kind: "password-reset", ...passwordResetMessage(user, { url: resetPasswordUrl(input.linkBase, token), ttlSeconds }) });
  log.info("password reset link sent", { userId: user.id });
}

/**
 * Sets a new password from an e-mailed token: the token is consumed (single use), every session
 * and refresh token of the user is revoked, every other e-mailed token retired, and sign-in
 * failures forgiven. Following the link also proves control of the address, so it counts as
 * verifying it.
 */
export async function resetPassword(ctx: ServiceContext, input: { token: string; newPassword: string }): Promise<{ revokedSessions: number }> {
  const now = ctx.clock.now();
  const tokens = new EmailTokensRepository(ctx.db);
  const row = await tokens.consume(await hashEmailToken(input.token), "password_reset", now);
  if (!row) throw badRequest(INVALID_TOKEN);
  const tenant = forTenant(ctx.db, row.userId);
  const user = await tenant.profile.get();
  // A link mailed to an address the account has since left does not work.
  if (!user?.isActive || user.deletionRequestedAt || user.email !== row.email) throw badRequest(INVALID_TOKEN);
  await tenant.profile.update(
    { passwordHash: await hashPassword(input.newPassword, ctx.config.PASSWORD_PBKDF2_ITERATIONS), isVerified: true, emailVerifiedAt: user.emailVerifiedAt ?? now },
    now,
  );
  const revokedSessions = await tenant.sessions.revokeAll("password_reset", now);
  await tokens.retireAll(user.id, now);
  await clearLoginFailures(ctx, user.email);
  log.info("password reset", { userId: user.id, revokedSessions });
  return { revokedSessions };
}

/**
 * forgot-password: the limits are checked (429 is the only other answer, and it is counted the
 * same for unknown addresses), then the lookup and the e-mail run after the response via `defer`
 * (the Worker's waitUntil), so the answer and its timing do not depend on whether the address is
 * registered.
 */
export async function startPasswordReset(
  ctx: ServiceContext,
  input: { email: string; clientAddress: string; linkBase: string },
  defer: (work: Promise<void>) => void,
): Promise<void> {
  const email = normalizeEmail(input.email);
  await guardEmailRequest(ctx, { kind: "forgot-password", clientAddress: input.clientAddress, email });
  defer(
    requestPasswordReset(ctx, { email, linkBase: input.linkBase }).catch((error: unknown) => {
      log.error("password reset request failed", { error });
    }),
  );
}
