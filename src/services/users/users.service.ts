import type { AuthContext } from "../../app-types";
import { isUniqueViolation } from "../../db/client";
import type { UserRow } from "../../db/repositories/accounts.repository";
import type { ProfilePatch } from "../../db/repositories/profile.repository";
import type { SessionRow } from "../../db/repositories/tenant-sessions.repository";
import { forTenant } from "../../db/repositories/tenant";
import { badRequest, conflict, notFound } from "../../lib/errors";
import { log } from "../../lib/logger";
import { hashPassword, verifyPassword } from "../../lib/password";
import { enqueue } from "../../jobs/messages";
import type { ServiceContext } from "../context";
import { normalizeEmail } from "../auth/auth.service";

async function currentUser(ctx: ServiceContext, auth: AuthContext): Promise<UserRow> {
  const user = await forTenant(ctx.db, auth.userId).profile.get();
  if (!user) throw notFound("User");
  return user;
}

export const getMe = currentUser;

export async function updateMe(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { email?: string; fullName?: string | null; timezone?: string },
): Promise<UserRow> {
  const tenant = forTenant(ctx.db, auth.userId);
  const patch: ProfilePatch = {};
  if (input.fullName !== undefined) patch.fullName = input.fullName;
  if (input.timezone !== undefined) patch.timezone = input.timezone;
  if (input.email !== undefined) {
    const email = normalizeEmail(input.email);
    if (email !== auth.email) {
      patch.email = email;
      patch.isVerified = false; // a new address is unverified (LEAP kept the old flag)
    }
  }
  try {
    const user = await tenant.profile.update(patch, ctx.clock.now());
    if (!user) throw notFound("User");
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("Email already in use by another user");
    throw error;
  }
}

/** Changes the password and signs out every other session (their access tokens stop at once). */
export async function changePassword(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { currentPassword: string; newPassword: string },
): Promise<{ revokedSessions: number }> {
  const tenant = forTenant(ctx.db, auth.userId);
  const user = await currentUser(ctx, auth);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw badRequest("Current password is incorrect");
  }
  if (input.currentPassword === input.newPassword) {
    throw badRequest("New password must differ from the current one");
  }
  const now = ctx.clock.now();
  await tenant.profile.update({ passwordHash: await hashPassword(input.newPassword, ctx.config.PASSWORD_PBKDF2_ITERATIONS) }, now);
  const revokedSessions = await tenant.sessions.revokeAll("password_changed", now, auth.sessionId);
  log.info("password changed", { revokedSessions });
  return { revokedSessions };
}

/**
 * Deletes the account: sign-in stops immediately; a queued job removes every stored object of
 * the tenant and then the rows (objects first, so nothing is orphaned if the job is retried).
 */
export async function deleteAccount(ctx: ServiceContext, auth: AuthContext, password: string): Promise<void> {
  const tenant = forTenant(ctx.db, auth.userId);
  const user = await currentUser(ctx, auth);
  if (!(await verifyPassword(password, user.passwordHash))) throw badRequest("Password is incorrect");
  const now = ctx.clock.now();
  await tenant.profile.markForDeletion(now);
  await tenant.sessions.revokeAll("account_deleted", now);
  await enqueue(ctx.env, { type: "account.purge", userId: auth.userId });
  log.info("account deletion requested");
}

export async function listSessions(ctx: ServiceContext, auth: AuthContext): Promise<SessionRow[]> {
  return forTenant(ctx.db, auth.userId).sessions.listLive(ctx.clock.now());
}

export async function revokeSession(ctx: ServiceContext, auth: AuthContext, sessionId: string): Promise<void> {
  const revoked = await forTenant(ctx.db, auth.userId).sessions.revoke(sessionId, "revoked_by_user", ctx.clock.now());
  if (!revoked) throw notFound("Session");
}

export async function logoutAll(ctx: ServiceContext, auth: AuthContext): Promise<number> {
  return forTenant(ctx.db, auth.userId).sessions.revokeAll("logout_all", ctx.clock.now());
}
