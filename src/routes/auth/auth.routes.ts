import { createRoute, z } from "@hono/zod-openapi";
import { ULID_PATTERN } from "../../lib/ids";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit, authRateLimit } from "../../middleware/rate-limit";
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
  middleware: [authRateLimit],
  summary: "Create an account",
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
  middleware: [authRateLimit],
  summary: "Exchange email and password for a token pair",
  request: { body: jsonBody(z.object({ email: EmailSchema, password: PasswordSchema }).openapi("LoginRequest")) },
  responses: {
    200: jsonContent(TokenPairSchema, "Access and refresh tokens"),
    401: errorResponse("Incorrect email or password"),
    403: errorResponse("Account deactivated"),
    ...commonErrors,
  },
});

export const refresh = createRoute({
  method: "post",
  path: "/refresh",
  tags: ["Auth"],
  middleware: [authRateLimit],
  summary: "Rotate a refresh token",
  description:
    "Each refresh token works once. Presenting a token that was already rotated revokes its whole session.",
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

export const logoutAll = createRoute({
  method: "post",
  path: "/logout-all",
  tags: ["Auth"],
  summary: "End every session of the caller",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
  responses: {
    200: jsonContent(z.object({ message: z.string(), revoked_sessions: z.number().int() }), "Signed out everywhere"),
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
