import type { Context } from "hono";
import type { AppBindings } from "../../app-types";
import { clientAddress } from "../../middleware/rate-limit";
import { unauthorized } from "../../lib/errors";
import * as auth from "../../services/auth/auth.service";
import { linkBase } from "../../services/auth/email-links";
import type { TokenPair } from "../../services/auth/tokens";
import { logoutAllWithRefreshToken } from "../../services/auth/logout-all";
import { serviceContext } from "../../services/context";
import * as users from "../../services/users/users.service";
import { createRouter } from "../router";
import { toUserResponse } from "../users/users.schemas";
import * as routes from "./auth.routes";
import { recoveryRouter } from "./recovery";
import { clearSessionCookies, refreshTokenFromCookie, setSessionCookies, wantsCookieSession } from "./session-cookies";

/** The token pair with its refresh token moved into the session cookies. */
function cookieSession(c: Context<AppBindings>, tokens: TokenPair) {
  const { refresh_token: refreshToken, ...rest } = tokens;
  const csrf = setSessionCookies(c, refreshToken, tokens.refresh_expires_in);
  return { ...rest, session: "cookie" as const, csrf_token: csrf };
}

export const authRouter = createRouter()
  .openapi(routes.register, async (c) => {
    const body = c.req.valid("json");
    const { user } = await auth.register(serviceContext(c.env), {
      email: body.email,
      password: body.password,
      fullName: body.full_name ?? null,
      locale: body.locale,
      linkBase: linkBase(c.get("config"), new URL(c.req.url).origin),
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
    if (!wantsCookieSession(c, body.session)) return c.json(tokens, 200);
    return c.json(cookieSession(c, tokens), 200);
  })
  .openapi(routes.refresh, async (c) => {
    const body = c.req.valid("json");
    const fromBody = body.refresh_token;
    const refreshToken = fromBody ?? refreshTokenFromCookie(c);
    if (refreshToken === undefined) throw unauthorized("Not authenticated: send {refresh_token} or the session cookie");
    const tokens = await auth.refresh(serviceContext(c.env), { refreshToken, clientAddress: clientAddress(c.req) });
    // A cookie session stays one; a body token may move into a cookie when the client asks.
    if (fromBody !== undefined && !wantsCookieSession(c, body.session)) return c.json(tokens, 200);
    return c.json(cookieSession(c, tokens), 200);
  })
  .openapi(routes.logout, async (c) => {
    const refreshToken = c.req.valid("json").refresh_token ?? refreshTokenFromCookie(c);
    clearSessionCookies(c);
    if (refreshToken === undefined) throw unauthorized("Not authenticated: send {refresh_token} or the session cookie");
    await auth.logout(serviceContext(c.env), refreshToken);
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
  })
  .route("/", recoveryRouter);
