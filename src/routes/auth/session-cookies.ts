import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppBindings } from "../../app-types";
import { randomToken, timingSafeEqual } from "../../lib/crypto";
import { utf8 } from "../../lib/encoding";
import { AppError } from "../../lib/errors";

/**
 * Browser sessions: the refresh token lives in an HttpOnly cookie the page's scripts cannot read,
 * sent only to the auth routes (Path=/api/v1/auth), only over https, never on cross-site requests
 * (SameSite=Strict). A client opts in per sign-in (`{"session":"cookie"}` or `X-Session-Mode:
 * cookie`); API clients keep sending refresh tokens in the body.
 *
 * CSRF on the cookie path is a double submit: sign-in also sets a readable `__Secure-lp_csrf`
 * cookie (and returns its value as `csrf_token`); refresh and logout by cookie must echo it in the
 * `X-CSRF-Token` header. A forged cross-site form can neither read the cookie nor set the header.
 */
export const REFRESH_COOKIE = "lp_refresh";
export const CSRF_COOKIE = "lp_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
export const SESSION_MODE_HEADER = "X-Session-Mode";
const REFRESH_PATH = "/api/v1/auth";

type Ctx = Context<AppBindings>;

export function wantsCookieSession(c: Ctx, bodyMode: "bearer" | "cookie" | undefined): boolean {
  if (bodyMode !== undefined) return bodyMode === "cookie";
  return c.req.header(SESSION_MODE_HEADER)?.trim().toLowerCase() === "cookie";
}

/** Sets both cookies for a fresh or rotated refresh token and answers the CSRF value. */
export function setSessionCookies(c: Ctx, refreshToken: string, maxAgeSeconds: number): string {
  const csrf = randomToken(24);
  setCookie(c, REFRESH_COOKIE, refreshToken, { prefix: "secure", secure: true, httpOnly: true, sameSite: "Strict", path: REFRESH_PATH, maxAge: maxAgeSeconds });
  setCookie(c, CSRF_COOKIE, csrf, { prefix: "secure", secure: true, httpOnly: false, sameSite: "Strict", path: "/", maxAge: maxAgeSeconds });
  return csrf;
}

export function clearSessionCookies(c: Ctx): void {
  deleteCookie(c, REFRESH_COOKIE, { prefix: "secure", secure: true, httpOnly: true, sameSite: "Strict", path: REFRESH_PATH });
  deleteCookie(c, CSRF_COOKIE, { prefix: "secure", secure: true, sameSite: "Strict", path: "/" });
}

/**
 * The refresh token from the cookie, after the CSRF check; undefined when no session cookie was
 * sent. 403 when the cookie is there but the X-CSRF-Token header is missing or does not match.
 */
export function refreshTokenFromCookie(c: Ctx): string | undefined {
  const token = getCookie(c, REFRESH_COOKIE, "secure");
  if (!token) return undefined;
  const expected = getCookie(c, CSRF_COOKIE, "secure");
  const presented = c.req.header(CSRF_HEADER);
  if (!expected || !presented || !timingSafeEqual(utf8.encode(expected), utf8.encode(presented))) {
    throw new AppError("FORBIDDEN", `Cookie sessions need the ${CSRF_HEADER} header with the value of the ${CSRF_COOKIE} cookie`);
  }
  return token;
}
