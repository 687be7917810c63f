import type { AuthContext } from "../../app-types";
import { AccountsRepository, type UserRow } from "../../db/repositories/accounts.repository";
import type { UserLocale } from "../../db/schema";
import type { ProfilePatch } from "../../db/repositories/profile.repository";
import type { SessionRow } from "../../db/repositories/tenant-sessions.repository";
import { forTenant } from "../../db/repositories/tenant";
import { AppError, badRequest, conflict, notFound } from "../../lib/errors";
import { log } from "../../lib/logger";
import { hashPassword } from "../../lib/password";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import type { ServiceContext } from "../context";
import { normalizeEmail } from "../auth/auth.service";
import { sendVerification } from "../auth/email-verification";
import { clearLoginFailures, verifyCurrentPassword } from "../auth/login-guard";

async function currentUser(ctx: ServiceContext, auth: AuthContext): Promise<UserRow> {
  const user = await forTenant(ctx.db, auth.userId).profile.get();
  if (!user) throw notFound("User");
  return user;
}

/**
 * Updates the profile. A new e-mail needs the current password: the e-mail is where a password
 * reset goes, so changing it with a stolen access token alone would hand over the account.
 * Nothing is written when the password is missing or wrong.
 */
export async function updateMe(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { email?: string; fullName?: string | null; timezone?: string; locale?: UserLocale; currentPassword?: string; linkBase: string },
): Promise<UserRow> {
  const tenant = forTenant(ctx.db, auth.userId);
  const patch: ProfilePatch = {};
  if (input.fullName !== undefined) patch.fullName = input.fullName;
  if (input.timezone !== undefined) patch.timezone = input.timezone;
  if (input.locale !== undefined) patch.locale = input.locale;
  let newEmail: string | null = null;
  if (input.email !== undefined) {
    const email = normalizeEmail(input.email);
    if (email !== auth.email) {
      await requireCurrentPassword(ctx, auth, input.currentPassword, "change the email");
      const holder = await new AccountsRepository(ctx.db).findByEmail(email);
      if (holder && holder.id !== auth.userId) throw conflict("Email already in use by another user");
      // The new address takes effect once a link sent to it is followed (email-verification.ts).
      patch.pendingEmail = email;
      newEmail = email;
    } else {
      patch.pendingEmail = null; // asking for the current address again cancels a pending change
    }
  }
  const user = await tenant.profile.update(patch, ctx.clock.now());
  if (!user) throw notFound("User");
  if (newEmail !== null) await sendVerification(ctx, user, { email: newEmail, isChange: true, linkBase: input.linkBase });
  return user;
}

/**
 * The caller's current password, checked under growing delays (login-guard.ts): 400 VALIDATION_FAILED
 * when missing, 400 when wrong (not 401, which clients read as "signed out"), 429 when locked.
 */
async function requireCurrentPassword(ctx: ServiceContext, auth: AuthContext, password: string | undefined, purpose: string): Promise<UserRow> {
  if (password === undefined) {
    const message = `is required to ${purpose}`;
    throw new AppError("VALIDATION_FAILED", `Invalid json.current_password: ${message}`, {
      details: [{ path: "current_password", message, code: "custom", location: "json" }],
    });
  }
  const user = await currentUser(ctx, auth);
  if (!(await verifyCurrentPassword(ctx, user, password))) throw badRequest("Current password is incorrect");
  return user;
}

/** Changes the password and signs out every other session (their access tokens stop at once). */
export async function changePassword(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { currentPassword: string; newPassword: string },
): Promise<{ revokedSessions: number }> {
  const tenant = forTenant(ctx.db, auth.userId);
  await requireCurrentPassword(ctx, auth, input.currentPassword, "change the password");
  if (input.currentPassword === input.newPassword) {
    throw badRequest("New password must differ from the current one");
  }
  const now = ctx.clock.now();
  await tenant.profile.update({ passwordHash: await hashPassword(input.newPassword, ctx.config.PASSWORD_PBKDF2_ITERATIONS) }, now);
  const revokedSessions = await tenant.sessions.revokeAll("password_changed", now, auth.sessionId);
  // Guesses at the old password no longer matter: the owner may sign in elsewhere at once.
  await clearLoginFailures(ctx, auth.email);
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
  if (!(await verifyCurrentPassword(ctx, user, password))) throw badRequest("Password is incorrect");
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
