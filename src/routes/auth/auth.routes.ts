import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../../app-types";
import { ULID_PATTERN } from "../../lib/ids";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit, registerRateLimit } from "../../middleware/rate-limit";
import { authErrors, commonErrors, errorResponse, jsonBody, jsonContent, MessageSchema } from "../common/schemas";
import { EmailSchema, LocaleSchema, NewPasswordSchema, PasswordSchema, UserSchema } from "../users/users.schemas";

const TokenPairSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().openapi({ description: "Access token lifetime in seconds" }),
    refresh_expires_in: z.number().int().openapi({ description: "Refresh token lifetime in seconds" }),
  })
  .openapi("TokenPair");

const RefreshBodySchema = z.object({ refresh_token: z.string().min(1).max(512) }).openapi("RefreshRequest");

/** Cookie sessions (session-cookies.ts): the refresh token is in an HttpOnly cookie, never in the body. */
const CookieSessionSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.number().int(),
    refresh_expires_in: z.number().int(),
    session: z.literal("cookie"),
    csrf_token: z.string().openapi({ description: "Send it back as X-CSRF-Token on /auth/refresh and /auth/logout (also in the lp_csrf cookie)" }),
  })
  .openapi("CookieSession");

const SessionModeSchema = z.enum(["bearer", "cookie"]).optional().openapi({
  description: 'Where the refresh token goes: the body (default, API clients) or an HttpOnly cookie ("cookie", browsers; or header X-Session-Mode: cookie)',
});

const CookieRefreshBodySchema = z
  .object({ refresh_token: z.string().min(1).max(512).optional(), session: SessionModeSchema })
  .openapi("RefreshOrCookieRequest");

const cookieSessionNote =
  "Without `refresh_token` in the body, the HttpOnly session cookie is used; it needs the X-CSRF-Token header " +
  "(the lp_csrf cookie's value), else 403.";

const SessionSchema = z
  .object({
    id: z.string(),
    user_agent: z.string().nullable(),
    created_at: z.string(),
    last_used_at: z.string(),
    expires_at: z.string(),
    current: z.boolean(),
  })
  .openapi("Session");

export const register = createRoute({
  method: "post",
  path: "/register",
  tags: ["Auth"],
  middleware: [registerRateLimit],
  summary: "Create an account",
  description:
    "Limited per client address (AUTH_REGISTRATIONS_PER_IP_PER_HOUR); past it, 429 with Retry-After. The answer does not " +
    "reveal whether the address is taken: always 201 with a user-shaped body. For a new address it is the new (unverified) " +
    "user and a verification link is e-mailed; for a taken one no account is created, the body's id names nothing, and the " +
    "owner is e-mailed that someone tried to register (with a link to reset the password).",
  request: {
    body: jsonBody(
      z
        .object({
          email: EmailSchema,
          password: NewPasswordSchema,
          full_name: z.string().trim().min(1).max(255).optional(),
          locale: LocaleSchema.optional(),
        })
        .openapi("RegisterRequest"),
    ),
  },
  responses: {
    201: jsonContent(UserSchema, "The new user (or, for a taken address, the same shape without an account behind it)"),
    ...commonErrors,
  },
});

export const login = createRoute({
  method: "post",
  path: "/login",
  tags: ["Auth"],
  summary: "Exchange email and password for a token pair",
  description:
    "Only failed attempts are limited: after a few consecutive failures an account (known or not) must wait a delay that " +
    "doubles with each further failure, up to a cap, and then unlocks by itself; a client address has a much higher " +
    "ceiling of failures. While locked, every attempt (the right password too) answers 429 with Retry-After.",
  request: { body: jsonBody(z.object({ email: EmailSchema, password: PasswordSchema, session: SessionModeSchema }).openapi("LoginRequest")) },
  responses: {
    200: jsonContent(z.union([TokenPairSchema, CookieSessionSchema]), "Access and refresh tokens (cookie mode: the refresh token is in the cookie)"),
    401: errorResponse("Incorrect email or password"),
    403: errorResponse("Account deactivated"),
    ...commonErrors,
    429: errorResponse("Too many failed attempts for this account or from this address; see Retry-After"),
  },
});

export const refresh = createRoute({
  method: "post",
  path: "/refresh",
  tags: ["Auth"],
  summary: "Rotate a refresh token",
  description:
    "Each refresh token works once. Presenting a token that was already rotated revokes its whole session. " +
    "A valid token is never rate limited; invalid ones count against the client address (429 past the ceiling). " +
    cookieSessionNote,
  request: { body: { required: false, content: { "application/json": { schema: CookieRefreshBodySchema } } } },
  responses: {
    200: jsonContent(z.union([TokenPairSchema, CookieSessionSchema]), "A new token pair (cookie mode: the new refresh token is in the cookie)"),
    401: errorResponse("Invalid, expired, revoked or reused refresh token"),
    403: errorResponse("Account deactivated, or a cookie session without a matching X-CSRF-Token"),
    ...commonErrors,
  },
});

export const logout = createRoute({
  method: "post",
  path: "/logout",
  tags: ["Auth"],
  summary: "End the session of a refresh token",
  description: `${cookieSessionNote} The session cookies are always cleared.`,
  request: { body: { required: false, content: { "application/json": { schema: RefreshBodySchema.partial() } } } },
  responses: {
    200: jsonContent(MessageSchema, "Signed out"),
    401: errorResponse("Neither a refresh token in the body nor a session cookie"),
    403: errorResponse("A cookie session without a matching X-CSRF-Token"),
    ...commonErrors,
  },
});

/** A bearer token when one is sent (checked and rate limited as on every API route); otherwise the body's refresh token identifies the caller. */
const bearerIfSent = createMiddleware<AppBindings>(async (c, next) => {
  if (c.req.header("Authorization") === undefined) return next();
  await requireAuth(c, async () => {
    await apiRateLimit(c, next);
  });
});

export const logoutAll = createRoute({
  method: "post",
  path: "/logout-all",
  tags: ["Auth"],
  summary: "End every session of the caller",
  description:
    "The caller is the bearer token's user; without an Authorization header, LEAP's form works: any working refresh token " +
    "of the user in the body (`{refresh_token}`). With a bearer token, a refresh_token in the body is not needed and not read.",
  security: [{ bearerAuth: [] }],
  middleware: [bearerIfSent],
  request: { body: { required: false, content: { "application/json": { schema: RefreshBodySchema.partial().strict() } } } },
  responses: {
    200: jsonContent(
      z.object({ message: z.string(), revoked_sessions: z.number().int(), revoked_tokens: z.number().int().openapi({ description: "LEAP's name for revoked_sessions" }) }),
      "Signed out everywhere",
    ),
    ...authErrors,
  },
});

export const listSessions = createRoute({
  method: "get",
  path: "/sessions",
  tags: ["Auth"],
  summary: "The caller's live sessions",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
  responses: { 200: jsonContent(z.object({ items: z.array(SessionSchema) }), "Live sessions"), ...authErrors },
});

export const revokeSession = createRoute({
  method: "delete",
  path: "/sessions/{session_id}",
  tags: ["Auth"],
  summary: "Revoke one of the caller's sessions",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
  request: { params: z.object({ session_id: z.string().regex(ULID_PATTERN, "must be a session id") }) },
  responses: {
    200: jsonContent(MessageSchema, "Revoked"),
    404: errorResponse("No such live session of the caller"),
    ...authErrors,
  },
});
