import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, commonErrors, errorResponse, jsonBody, jsonContent, MessageSchema } from "../common/schemas";
import { EmailSchema, NewPasswordSchema, UserSchema } from "../users/users.schemas";

const EmailTokenSchema = z.string().min(1).max(256).openapi({ description: "The token from the e-mailed link (after #token=)" });

export const FORGOT_PASSWORD_MESSAGE = "If an account uses this address, a link to reset its password is on its way.";

export const verifyEmail = createRoute({
  method: "post",
  path: "/verify-email",
  tags: ["Auth"],
  summary: "Confirm an e-mail address with the e-mailed token",
  description:
    "Verifies the account's address, or completes a pending e-mail change (the new address becomes the sign-in address). " +
    "Each token works once and expires (EMAIL_VERIFICATION_TTL_SECONDS); a used, expired, replaced or unknown token answers 400.",
  request: { body: jsonBody(z.object({ token: EmailTokenSchema }).strict().openapi("VerifyEmailRequest")) },
  responses: {
    200: jsonContent(UserSchema, "The verified user"),
    409: errorResponse("The new address of an e-mail change was taken by another account meanwhile"),
    ...commonErrors,
  },
});

export const resendVerification = createRoute({
  method: "post",
  path: "/resend-verification",
  tags: ["Auth"],
  summary: "E-mail a new verification link",
  description:
    "To the pending address of an e-mail change, else to the unverified current address (earlier links stop working). " +
    "Limited per client address and per target address per hour (429 with Retry-After).",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
  responses: {
    202: jsonContent(z.object({ message: z.string(), email: z.string() }), "A link was sent"),
    409: errorResponse("The address is already verified and no change is pending"),
    ...authErrors,
  },
});

export const forgotPassword = createRoute({
  method: "post",
  path: "/forgot-password",
  tags: ["Auth"],
  summary: "E-mail a password reset link",
  description:
    "Always 202 with the same body, whether or not the address is registered (the lookup and the e-mail happen after the " +
    "answer). The link works once, for PASSWORD_RESET_TTL_SECONDS (30 min). Limited per client address and per e-mail " +
    "address per hour, counted the same for unknown addresses (429 with Retry-After).",
  request: { body: jsonBody(z.object({ email: EmailSchema }).strict().openapi("ForgotPasswordRequest")) },
  responses: { 202: jsonContent(MessageSchema, "Accepted"), ...commonErrors },
});

export const resetPassword = createRoute({
  method: "post",
  path: "/reset-password",
  tags: ["Auth"],
  summary: "Set a new password with the e-mailed token",
  description: "Consumes the token, sets the password and signs out every session of the user (all refresh tokens stop working).",
  request: {
    body: jsonBody(z.object({ token: EmailTokenSchema, new_password: NewPasswordSchema }).strict().openapi("ResetPasswordRequest")),
  },
  responses: {
    200: jsonContent(z.object({ message: z.string(), revoked_sessions: z.number().int() }), "Password changed"),
    ...commonErrors,
  },
});
