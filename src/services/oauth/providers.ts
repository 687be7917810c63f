import type { OAuthProvider } from "../../integrations/oauth/oauth-client";
import type { AppConfig } from "../../lib/config";
import { AppError } from "../../lib/errors";

export const OAUTH_PLATFORMS = ["zoom"] as const;
export type OAuthPlatform = (typeof OAUTH_PLATFORMS)[number];

/** The platform's OAuth apps, from configuration. YouTube, VK and Yandex join this table later. */
export function oauthProvider(config: AppConfig, platform: OAuthPlatform): OAuthProvider {
  if (!config.ZOOM_OAUTH_CLIENT_ID || !config.ZOOM_OAUTH_CLIENT_SECRET) {
    throw new AppError("SERVICE_UNAVAILABLE", "Zoom OAuth is not configured on this server (ZOOM_OAUTH_CLIENT_ID/SECRET)");
  }
  return {
    platform,
    authorizeUrl: new URL("/oauth/authorize", config.ZOOM_OAUTH_BASE_URL).toString(),
    tokenUrl: new URL("/oauth/token", config.ZOOM_OAUTH_BASE_URL).toString(),
    clientId: config.ZOOM_OAUTH_CLIENT_ID,
    clientSecret: config.ZOOM_OAUTH_CLIENT_SECRET,
    scopes: ["cloud_recording:read:list_user_recordings", "cloud_recording:read:recording", "recording:write:recording", "user:read:user"],
    clientAuth: "basic",
    pkce: true,
  };
}
