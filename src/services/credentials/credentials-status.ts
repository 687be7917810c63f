import type { AuthContext } from "../../app-types";
import { forTenant } from "../../db/repositories/tenant";
import { CREDENTIAL_PLATFORMS, type CredentialPlatform } from "../../db/schema";
import type { ServiceContext } from "../context";

/** LEAP's keys (§3.5): `vk_video` is its name for VK; Google Drive is not a platform here, so always false. */
const LEAP_STATUS_KEYS: Record<string, CredentialPlatform | null> = {
  zoom: "zoom",
  youtube: "youtube",
  vk_video: "vk",
  fireworks: "fireworks",
  deepseek: "deepseek",
  openai: "openai",
  yandex_disk: "yandex_disk",
  google_drive: null,
};

/**
 * `GET /credentials/status` (LEAP §3.5): which platforms the caller can use now. A platform counts
 * when it has an active credential that does not need re-authorisation (the same test a run's
 * preflight applies); platforms whose only credentials need re-authorisation are listed apart.
 */
export async function credentialsStatus(ctx: ServiceContext, auth: AuthContext) {
  const rows = await forTenant(ctx.db, auth.userId).credentials.list();
  const usable = new Set(rows.filter((r) => r.isActive && !r.needsReauth).map((r) => r.platform));
  const stale = new Set(rows.filter((r) => r.isActive && r.needsReauth && !usable.has(r.platform)).map((r) => r.platform));
  const status: Record<string, boolean> = {};
  for (const [key, platform] of Object.entries(LEAP_STATUS_KEYS)) status[key] = platform !== null && usable.has(platform);
  for (const platform of CREDENTIAL_PLATFORMS) status[platform] = usable.has(platform);
  return {
    user_id: auth.userId,
    available_platforms: [...usable].sort(),
    credentials_status: status,
    needs_reauth: [...stale].sort(),
  };
}
