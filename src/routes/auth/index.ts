import { clientAddress } from "../../middleware/rate-limit";
import { unauthorized } from "../../lib/errors";
import * as auth from "../../services/auth/auth.service";
import { logoutAllWithRefreshToken } from "../../services/auth/logout-all";
import { serviceContext } from "../../services/context";
import * as users from "../../services/users/users.service";
import { createRouter } from "../router";
import { toUserResponse } from "../users/users.schemas";
import * as routes from "./auth.routes";

export const authRouter = createRouter()
  .openapi(routes.register, async (c) => {
    const body = c.req.valid("json");
    const user = await auth.register(serviceContext(c.env), {
      email: body.email,
      password: body.password,
      fullName: body.full_name ?? null,
    });
    return c.json(toUserResponse(user), 201);
  })
  .openapi(routes.login, async (c) => {
    const body = c.req.valid("json");
    const tokens = await auth.login(serviceContext(c.env), {
      email: body.email,
      password: body.password,
      userAgent: c.req.header("User-Agent") ?? null,
      clientAddress: clientAddress(c.req),
    });
    return c.json(tokens, 200);
  })
  .openapi(routes.refresh, async (c) => {
    const tokens = await auth.refresh(serviceContext(c.env), {
      refreshToken: c.req.valid("json").refresh_token,
      clientAddress: clientAddress(c.req),
    });
    return c.json(tokens, 200);
  })
  .openapi(routes.logout, async (c) => {
    await auth.logout(serviceContext(c.env), c.req.valid("json").refresh_token);
    return c.json({ message: "Signed out" }, 200);
  })
  .openapi(routes.logoutAll, async (c) => {
    const ctx = serviceContext(c.env);
    const refreshToken = c.req.valid("json").refresh_token;
    let revoked: number;
    if (c.req.header("Authorization") !== undefined) revoked = await users.logoutAll(ctx, c.get("auth"));
    else if (refreshToken !== undefined) revoked = await logoutAllWithRefreshToken(ctx, { refreshToken, clientAddress: clientAddress(c.req) });
    else throw unauthorized("Not authenticated: send a bearer token, or LEAP's {refresh_token} in the body");
    return c.json({ message: "Signed out of every session", revoked_sessions: revoked, revoked_tokens: revoked }, 200);
  })
  .openapi(routes.listSessions, async (c) => {
    const current = c.get("auth").sessionId;
    const sessions = await users.listSessions(serviceContext(c.env), c.get("auth"));
    return c.json(
      {
        items: sessions.map((s) => ({
          id: s.id,
          user_agent: s.userAgent,
          created_at: s.createdAt.toISOString(),
          last_used_at: s.lastUsedAt.toISOString(),
          expires_at: s.expiresAt.toISOString(),
          current: s.id === current,
        })),
      },
      200,
    );
  })
  .openapi(routes.revokeSession, async (c) => {
    await users.revokeSession(serviceContext(c.env), c.get("auth"), c.req.valid("param").session_id);
    return c.json({ message: "Session revoked" }, 200);
  });
