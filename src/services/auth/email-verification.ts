import type { AuthContext } from "../../app-types";
import { isUniqueViolation } from "../../db/client";
import type { UserRow } from "../../db/repositories/accounts.repository";
import { EmailTokensRepository } from "../../db/repositories/email-tokens.repository";
import { forTenant } from "../../db/repositories/tenant";
import { badRequest, conflict, notFound } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { verifyEmailMessage } from "../email/account-templates";
import { sendEmail } from "../email";
import { hashEmailToken, newEmailToken, verifyEmailUrl } from "./email-links";
import { guardEmailRequest } from "./email-request-guard";

/**
 * E-mail verification. What an unverified user can do: everything (the dashboard shows a banner
 * from `email_verified`), because nothing we do sends mail on their behalf to third parties. An
 * e-mail *change* is different: the new address becomes the sign-in and reset address only once a
 * link sent to it is followed (until then it is `pending_email`), so a typo or a stolen session
 * cannot move the account to an address its owner does not control.
 */
export const INVALID_TOKEN = "Invalid or expired token";

export async function sendVerification(ctx: ServiceContext, user: UserRow, input: { email: string; isChange: boolean; linkBase: string }): Promise<void> {
  const token = newEmailToken("verify_email");
  const now = ctx.clock.now();
  const ttlSeconds = ctx.config.EMAIL_VERIFICATION_TTL_SECONDS;
  await new EmailTokensRepository(ctx.db).issue({
    tokenHash: await hashEmailToken(token),
    userId: user.id,
    purpose: "verify_email",
    email: input.email,
    now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  });
  const content = verifyEmailMessage(user, { url: verifyEmailUrl(input.linkBase, token), ttlSeconds, isChange: input.isChange });
  await sendEmail(ctx, { to: input.email, userId: user.id, kind: input.isChange ? "verify-email-change" : "verify-email", ...content });
}

/** Follows a verification link: verifies the current address, or completes a pending e-mail change. */
export async function verifyEmail(ctx: ServiceContext, token: string): Promise<UserRow> {
  const now = ctx.clock.now();
  const row = await new EmailTokensRepository(ctx.db).consume(await hashEmailToken(token), "verify_email", now);
  if (!row) throw badRequest(INVALID_TOKEN);
  const profile = forTenant(ctx.db, row.userId).profile;
  const user = await profile.get();
  if (!user || user.deletionRequestedAt || !user.isActive) throw badRequest(INVALID_TOKEN);
  if (row.email === user.email) {
    const verified = await profile.update({ isVerified: true, emailVerifiedAt: user.emailVerifiedAt ?? now }, now);
    if (!verified) throw badRequest(INVALID_TOKEN);
    log.info("e-mail address verified", { userId: user.id });
    return verified;
  }
  // A link to an address the user has since moved away from (or replaced as pending) does nothing.
  if (row.email !== user.pendingEmail) throw badRequest(INVALID_TOKEN);
  try {
    const moved = await profile.update({ email: row.email, pendingEmail: null, isVerified: true, emailVerifiedAt: now }, now);
    if (!moved) throw badRequest(INVALID_TOKEN);
    // Reset links went to the old address: they must not outlive the move.
    await new EmailTokensRepository(ctx.db).retireAll(user.id, now);
    log.info("e-mail change completed", { userId: user.id });
    return moved;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("This address is already in use by another account");
    throw error;
  }
}

/** Sends a fresh link to the pending address of a change, else to the unverified current one. */
export async function resendVerification(ctx: ServiceContext, auth: AuthContext, input: { linkBase: string; clientAddress: string }): Promise<{ email: string }> {
  const user = await forTenant(ctx.db, auth.userId).profile.get();
  if (!user) throw notFound("User");
  const target = user.pendingEmail ?? (user.isVerified ? null : user.email);
  if (target === null) throw conflict("The e-mail address is already verified");
  await guardEmailRequest(ctx, { kind: "resend-verification", clientAddress: input.clientAddress, email: target });
  await sendVerification(ctx, user, { email: target, isChange: user.pendingEmail !== null, linkBase: input.linkBase });
  return { email: target };
}
