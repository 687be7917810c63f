import { SessionsRepository } from "../../db/repositories/sessions.repository";
import { forTenant } from "../../db/repositories/tenant";
import { unauthorized } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { recordInvalidRefresh } from "./login-guard";
import { hashRefreshToken } from "./tokens";

/**
 * LEAP's `logout-all` (§3.2): any working refresh token of the user ends every session of that
 * user. A token that does not work (unknown, expired, rotated, its session ended) is refused like
 * at `/auth/refresh`, and counts against the client address the same way.
 */
export async function logoutAllWithRefreshToken(ctx: ServiceContext, input: { refreshToken: string; clientAddress: string }): Promise<number> {
  const now = ctx.clock.now();
  const owner = await new SessionsRepository(ctx.db).findUsableTokenOwner(await hashRefreshToken(input.refreshToken), now);
  if (!owner) {
    await recordInvalidRefresh(ctx, input.clientAddress);
    throw unauthorized("Invalid or expired refresh token");
  }
  const revoked = await forTenant(ctx.db, owner.userId).sessions.revokeAll("logout_all", now);
  log.info("signed out everywhere with a refresh token", { userId: owner.userId, revoked });
  return revoked;
}
