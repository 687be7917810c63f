import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonBody, jsonContent, MessageSchema } from "../common/schemas";
import { EmailSchema, LocaleSchema, NewPasswordSchema, PasswordSchema, TimezoneSchema, UserSchema } from "./users.schemas";

const authed = {
  tags: ["Users"],
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
};

export const getMe = createRoute({
  ...authed,
  method: "get",
  path: "/me",
  summary: "The signed-in user",
  responses: { 200: jsonContent(UserSchema, "The caller's profile"), ...authErrors },
});

export const patchMe = createRoute({
  ...authed,
  method: "patch",
  path: "/me",
  summary: "Update name, email or time zone",
  description:
    "Changing the email needs `current_password` (missing: 400 VALIDATION_FAILED on that field; wrong: 400 " +
    "\"Current password is incorrect\", as for a password change). Repeated wrong passwords answer 429 with Retry-After. " +
    "A new email does not take effect at once: it becomes `pending_email` and a link is mailed to it; following the link " +
    "(POST /auth/verify-email) makes it the sign-in address. Sending the current email again cancels a pending change.",
  request: {
    body: jsonBody(
      z
        .object({
          full_name: z.string().trim().min(1).max(255).nullable().optional(),
          email: EmailSchema.optional(),
          timezone: TimezoneSchema.optional(),
          locale: LocaleSchema.optional(),
          current_password: PasswordSchema.optional().openapi({ description: "Required when `email` changes" }),
        })
        .strict()
        .refine(
          (b) => b.full_name !== undefined || b.email !== undefined || b.timezone !== undefined || b.locale !== undefined,
          "at least one field is required",
        )
        .openapi("UserUpdate"),
    ),
  },
  responses: {
    200: jsonContent(UserSchema, "The updated profile"),
    409: errorResponse("Email already in use by another user"),
    ...authErrors,
  },
});

export const changePassword = createRoute({
  ...authed,
  method: "post",
  path: "/me/password",
  summary: "Change the password; other sessions are signed out",
  request: {
    body: jsonBody(
      z.object({ current_password: PasswordSchema, new_password: NewPasswordSchema }).openapi("PasswordChange"),
    ),
  },
  responses: {
    200: jsonContent(
      z.object({ message: z.string(), revoked_sessions: z.number().int() }),
      "Password changed; every other session is revoked",
    ),
    ...authErrors,
  },
});

export const deleteMe = createRoute({
  ...authed,
  method: "delete",
  path: "/me",
  summary: "Delete the account and everything it stores",
  request: {
    body: jsonBody(
      z
        .object({
          password: PasswordSchema,
          confirmation: z.literal("DELETE", { message: 'must be the word "DELETE"' }),
        })
        .openapi("AccountDeletion"),
    ),
  },
  responses: { 202: jsonContent(MessageSchema, "Deletion started"), ...authErrors },
});
