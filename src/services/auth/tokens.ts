import type { UserRole } from "../../db/schema";
import { epochSeconds } from "../../lib/clock";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { signJwt, verifyJwt } from "../../lib/jwt";
import type { ServiceContext } from "../context";

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: "bearer";
  expires_in: number;
  refresh_expires_in: number;
}

export interface AccessClaims {
  userId: string;
  sessionId: string;
  role: UserRole;
}

const REFRESH_PREFIX = "rt_";

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function newRefreshToken(): string {
  return REFRESH_PREFIX + randomToken(32);
}

export const hashRefreshToken = (token: string): Promise<string> => sha256Hex(token);

export async function issueTokenPair(
  ctx: ServiceContext,
  claims: AccessClaims,
  refreshToken: string,
): Promise<TokenPair> {
  const now = epochSeconds(ctx.clock.now());
  const ttl = ctx.config.ACCESS_TOKEN_TTL_SECONDS;
  const access = await signJwt(
    { sub: claims.userId, sid: claims.sessionId, role: claims.role, typ: "access", iat: now, exp: now + ttl },
    ctx.config.JWT_SECRET,
  );
  return {
    access_token: access,
    refresh_token: refreshToken,
    token_type: "bearer",
    expires_in: ttl,
    refresh_expires_in: ctx.config.REFRESH_TOKEN_TTL_SECONDS,
  };
}

/** Claims of a valid access token, or null. Session liveness is checked by the caller. */
export async function readAccessToken(ctx: ServiceContext, token: string): Promise<AccessClaims | null> {
  const claims = await verifyJwt(token, ctx.config.JWT_SECRET, epochSeconds(ctx.clock.now()));
  if (claims?.typ !== "access" || typeof claims.sid !== "string") return null;
  if (claims.role !== "user" && claims.role !== "admin") return null;
  return { userId: claims.sub, sessionId: claims.sid, role: claims.role };
}

export function refreshExpiry(ctx: ServiceContext): Date {
  return new Date(ctx.clock.now().getTime() + ctx.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
}
