import { clientAddress } from "../../middleware/rate-limit";
import { linkBase } from "../../services/auth/email-links";
import { resendVerification, verifyEmail } from "../../services/auth/email-verification";
import { resetPassword, startPasswordReset } from "../../services/auth/password-reset";
import { serviceContext } from "../../services/context";
import { createRouter } from "../router";
import { toUserResponse } from "../users/users.schemas";
import * as routes from "./recovery.routes";

/** E-mail verification and password reset (services/auth/email-verification.ts, password-reset.ts). */
export const recoveryRouter = createRouter()
  .openapi(routes.verifyEmail, async (c) => {
    const user = await verifyEmail(serviceContext(c.env), c.req.valid("json").token);
    return c.json(toUserResponse(user), 200);
  })
  .openapi(routes.resendVerification, async (c) => {
    const { email } = await resendVerification(serviceContext(c.env), c.get("auth"), {
      linkBase: linkBase(c.get("config"), new URL(c.req.url).origin),
      clientAddress: clientAddress(c.req),
    });
    return c.json({ message: "A new verification link is on its way", email }, 202);
  })
  .openapi(routes.forgotPassword, async (c) => {
    await startPasswordReset(
      serviceContext(c.env),
      { email: c.req.valid("json").email, clientAddress: clientAddress(c.req), linkBase: linkBase(c.get("config"), new URL(c.req.url).origin) },
      (work) => c.executionCtx.waitUntil(work),
    );
    return c.json({ message: routes.FORGOT_PASSWORD_MESSAGE }, 202);
  })
  .openapi(routes.resetPassword, async (c) => {
    const body = c.req.valid("json");
    const { revokedSessions } = await resetPassword(serviceContext(c.env), { token: body.token, newPassword: body.new_password });
    return c.json({ message: "Password changed; every session was signed out", revoked_sessions: revokedSessions }, 200);
  });
