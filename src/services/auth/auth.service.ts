import type { AuthContext } from "../../app-types";
import { isUniqueViolation } from "../../db/client";
import { AccountsRepository, type UserRow } from "../../db/repositories/accounts.repository";
import { SessionsRepository } from "../../db/repositories/sessions.repository";
import { SessionDatabase } from "../../db/session-database";
import { cachedSessionUser, rememberSessionUser } from "../../db/session-user-cache";
import { AppError, forbidden, unauthorized } from "../../lib/errors";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import { decoyPasswordHash, hashPassword, verifyPassword } from "../../lib/password";
import type { UserLocale } from "../../db/schema";
import type { ServiceContext } from "../context";
import { sendEmail } from "../email";
import { registrationAttemptMessage } from "../email/account-templates";
import { forgotPasswordUrl } from "./email-links";
import { sendVerification } from "./email-verification";
import { recordInvalidRefresh, startLoginAttempt } from "./login-guard";
import { hashRefreshToken, issueTokenPair, newRefreshToken, readAccessToken, refreshExpiry, type TokenPair } from "./tokens";

const BAD_CREDENTIALS = "Incorrect email or password";
const BAD_REFRESH = "Invalid or expired refresh token";
const DEFAULT_PLAN = "free";

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * Registration answers the same way whether or not the address already has an account, so it
 * cannot be used to find out who is registered. A new address gets an account and a verification
 * link; a taken one gets no second account but an e-mail telling its owner that someone tried
 * (with a reset link), and the caller gets a user-shaped `shadow` built from what it sent, with a
 * fresh id that names no row. Both paths hash the password and send one e-mail, so they also take
 * about the same time.
 */
export type RegisterResult = { created: true; user: UserRow } | { created: false; user: UserRow };

export async function register(
  ctx: ServiceContext,
  input: { email: string; password: string; fullName: string | null; locale?: UserLocale; linkBase: string },
): Promise<RegisterResult> {
  const accounts = new AccountsRepository(ctx.db);
  const email = normalizeEmail(input.email);
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(input.password, ctx.config.PASSWORD_PBKDF2_ITERATIONS);
  const existing = await accounts.findByEmail(email);
  if (existing) return registerTaken(ctx, existing, { ...input, email, now });
  const bootstrapAdmin = normalizeEmail(ctx.config.BOOTSTRAP_ADMIN_EMAIL);
  const role = bootstrapAdmin !== "" && email === bootstrapAdmin && !(await accounts.adminExists()) ? "admin" : "user";
  const planId = await accounts.findPlanId(DEFAULT_PLAN);
  if (planId === undefined) throw new Error(`subscription plan "${DEFAULT_PLAN}" is missing; run the migrations`);
  let user: UserRow;
  try {
    user = await accounts.createWithDefaults({ planId, id: ulid(), email, passwordHash, fullName: input.fullName, role, now, locale: input.locale });
  } catch (error) {
    // Registered in parallel a moment ago: answered like any taken address (the owner is not mailed twice).
    if (isUniqueViolation(error)) return { created: false, user: shadowUser({ ...input, email, now }) };
    throw error;
  }
  log.info("user registered", { userId: user.id, role });
  await sendVerification(ctx, user, { email, isChange: false, linkBase: input.linkBase });
  return { created: true, user };
}

async function registerTaken(
  ctx: ServiceContext,
  owner: UserRow,
  input: { email: string; fullName: string | null; locale?: UserLocale; linkBase: string; now: Date },
): Promise<RegisterResult> {
  if (owner.isActive && !owner.deletionRequestedAt) {
    const content = registrationAttemptMessage(owner, { resetUrl: forgotPasswordUrl(input.linkBase) });
    await sendEmail(ctx, { to: owner.email, userId: owner.id, kind: "registration-attempt", ...content });
  }
  log.info("registration with a taken address answered without an account");
  return { created: false, user: shadowUser(input) };
}

function shadowUser(input: { email: string; fullName: string | null; locale?: UserLocale; now: Date }): UserRow {
  return {
    id: ulid(),
    email: input.email,
    passwordHash: "",
    fullName: input.fullName,
    role: "user",
    isActive: true,
    isVerified: false,
    timezone: "UTC",
    createdAt: input.now,
    updatedAt: input.now,
    lastLoginAt: null,
    deletionRequestedAt: null,
    emailVerifiedAt: null,
    pendingEmail: null,
    locale: input.locale ?? "en",
  };
}

/**
 * `clientAddress` is the caller's address as a rate-limit key (see `middleware/rate-limit.ts`):
 * failed attempts count per account and per address, successful ones never (login-guard.ts).
 */
export async function login(
  ctx: ServiceContext,
  input: { email: string; password: string; userAgent: string | null; clientAddress: string },
): Promise<TokenPair> {
  const accounts = new AccountsRepository(ctx.db);
  const email = normalizeEmail(input.email);
  // Refused (429) before any password is checked while the account or the address is locked;
  // an unknown e-mail is counted exactly like a known one.
  const attempt = await startLoginAttempt(ctx, email, input.clientAddress);
  const user = await accounts.findByEmail(email);
  // Same work and the same answer for an unknown e-mail as for a wrong password.
  const hash = user?.passwordHash ?? (await decoyPasswordHash(ctx.config.PASSWORD_PBKDF2_ITERATIONS));
  const valid = await verifyPassword(input.password, hash);
  if (!user || !valid || user.deletionRequestedAt) {
    log.info("login rejected");
    throw unauthorized(BAD_CREDENTIALS);
  }
  await attempt.succeeded();
  if (!user.isActive) throw forbidden("Account is deactivated");

  const now = ctx.clock.now();
  const sessionId = ulid();
  const refreshToken = newRefreshToken();
  await new SessionsRepository(ctx.db).create({
    sessionId,
    userId: user.id,
    tokenHash: await hashRefreshToken(refreshToken),
    userAgent: input.userAgent?.slice(0, 256) ?? null,
    now,
    expiresAt: refreshExpiry(ctx),
  });
  await accounts.recordLogin(user.id, now);
  log.info("login succeeded", { userId: user.id, sessionId });
  return issueTokenPair(ctx, { userId: user.id, sessionId, role: user.role }, refreshToken);
}

/**
 * Rotation with reuse detection: each refresh token works once. Presenting one that was
 * already rotated means two parties hold it, so the whole session (token family) is revoked.
 */
export async function refresh(ctx: ServiceContext, input: { refreshToken: string; clientAddress: string }): Promise<TokenPair> {
  const sessions = new SessionsRepository(ctx.db);
  const now = ctx.clock.now();
  // No limit in front: a valid, unrotated token is never refused because of other traffic from
  // the same address. Only tokens that do not work count against the address.
  const refuse = async (): Promise<never> => {
    await recordInvalidRefresh(ctx, input.clientAddress);
    throw unauthorized(BAD_REFRESH);
  };
  const rotation = await sessions.rotate(await hashRefreshToken(input.refreshToken), now);
  if (rotation.kind === "reused") {
    await sessions.revoke(rotation.sessionId, "refresh_token_reuse", now);
    log.warn("refresh token reuse detected; session revoked", {
      userId: rotation.userId,
      sessionId: rotation.sessionId,
    });
    return refuse();
  }
  if (rotation.kind === "invalid") return refuse();

  const user = (await sessions.findLiveSessionUser(rotation.sessionId, rotation.userId, now))?.user;
  if (!user) return refuse();
  if (!user.isActive) throw forbidden("Account is deactivated");

  const next = newRefreshToken();
  await sessions.issueSuccessor({
    sessionId: rotation.sessionId,
    userId: user.id,
    tokenHash: await hashRefreshToken(next),
    now,
    expiresAt: refreshExpiry(ctx),
  });
  return issueTokenPair(ctx, { userId: user.id, sessionId: rotation.sessionId, role: user.role }, next);
}

/** Ends the session the refresh token belongs to. Idempotent: unknown tokens are not an error. */
export async function logout(ctx: ServiceContext, refreshToken: string): Promise<void> {
  const sessions = new SessionsRepository(ctx.db);
  const sessionId = await sessions.findSessionIdByToken(await hashRefreshToken(refreshToken));
  if (sessionId) await sessions.revoke(sessionId, "logout", ctx.clock.now());
}

/**
 * Resolves a bearer token to the caller. Besides the signature and expiry, the session must
 * still be live, so logout, password change and reuse detection cut access tokens off at once.
 */
/**
 * The access token's claims, checked against its session and user in one indexed read (a revoked
 * session or a deactivated account is refused at once). The user's row comes back too, so a
 * request about the caller (`GET /users/me`) needs no second read.
 */
export async function authenticate(ctx: ServiceContext, bearer: string): Promise<{ auth: AuthContext; user: UserRow }> {
  const claims = await readAccessToken(ctx, bearer);
  if (!claims) throw unauthorized("Invalid or expired token");
  const user = await liveSessionUser(ctx, claims.sessionId, claims.userId);
  if (!user) throw unauthorized("Invalid or expired token");
  if (!user.isActive) throw forbidden("Account is deactivated");
  return { auth: { userId: user.id, sessionId: claims.sessionId, email: user.email, role: user.role }, user };
}

/**
 * The session check of every authenticated request: one indexed D1 read (session joined with its
 * user), kept by the isolate for SESSION_USER_TTL_MS (see db/session-user-cache.ts) when the request
 * came through the D1 session middleware, so a burst of requests costs one read.
 */
async function liveSessionUser(ctx: ServiceContext, sessionId: string, userId: string): Promise<UserRow | undefined> {
  const db = ctx.env.DB instanceof SessionDatabase ? ctx.env.DB : null;
  const now = ctx.clock.now();
  const cached = db ? cachedSessionUser(sessionId, userId, now.getTime(), db.requestBookmark) : undefined;
  if (cached) return cached;
  const live = await new SessionsRepository(ctx.db).findLiveSessionUser(sessionId, userId, now);
  if (!live) return undefined;
  if (db) rememberSessionUser(sessionId, live.user, now.getTime(), live.expiresAt.getTime(), db.bookmark());
  return live.user;
}

export function requireRole(auth: AuthContext, role: "admin"): void {
  if (auth.role !== role) throw new AppError("FORBIDDEN", "Admin access required");
}
