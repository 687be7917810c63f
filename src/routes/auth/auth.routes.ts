import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../../app-types";
import { ULID_PATTERN } from "../../lib/ids";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit, registerRateLimit } from "../../middleware/rate-limit";
import { authErrors, commonErrors, errorResponse, jsonBody, jsonContent, MessageSchema } from "../common/schemas";
import { EmailSchema, NewPasswordSchema, PasswordSchema, UserSchema } from "../users/users.schemas";

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
  description: "Limited per client address (AUTH_REGISTRATIONS_PER_IP_PER_HOUR); past it, 429 with Retry-After.",
  request: {
    body: jsonBody(
      z
        .object({ email: EmailSchema, password: NewPasswordSchema, full_name: z.string().trim().min(1).max(255).optional() })
        .openapi("RegisterRequest"),
    ),
  },
  responses: {
    201: jsonContent(UserSchema, "The new user"),
    409: errorResponse("A user with this email already exists"),
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
  request: { body: jsonBody(z.object({ email: EmailSchema, password: PasswordSchema }).openapi("LoginRequest")) },
  responses: {
    200: jsonContent(TokenPairSchema, "Access and refresh tokens"),
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
    "A valid token is never rate limited; invalid ones count against the client address (429 past the ceiling).",
  request: { body: jsonBody(RefreshBodySchema) },
  responses: {
    200: jsonContent(TokenPairSchema, "A new token pair"),
    401: errorResponse("Invalid, expired, revoked or reused refresh token"),
    403: errorResponse("Account deactivated"),
    ...commonErrors,
  },
});

export const logout = createRoute({
  method: "post",
  path: "/logout",
  tags: ["Auth"],
  summary: "End the session of a refresh token",
  request: { body: jsonBody(RefreshBodySchema) },
  responses: { 200: jsonContent(MessageSchema, "Signed out"), ...commonErrors },
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
