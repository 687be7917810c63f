import type { OAuthProvider } from "../../integrations/oauth/oauth-client";
import type { AppConfig } from "../../lib/config";
import { AppError } from "../../lib/errors";

export const OAUTH_PLATFORMS = ["zoom", "youtube"] as const;
export type OAuthPlatform = (typeof OAUTH_PLATFORMS)[number];

const notConfigured = (what: string) => new AppError("SERVICE_UNAVAILABLE", `${what} OAuth is not configured on this server`);

/** The platform's OAuth apps, from configuration (VK and Yandex join this table later). */
export function oauthProvider(config: AppConfig, platform: OAuthPlatform): OAuthProvider {
  switch (platform) {
    case "zoom":
      if (!config.ZOOM_OAUTH_CLIENT_ID || !config.ZOOM_OAUTH_CLIENT_SECRET) throw notConfigured("Zoom (ZOOM_OAUTH_CLIENT_ID/SECRET)");
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
    case "youtube":
      return youtubeProvider(config, config.YOUTUBE_OAUTH_CLIENT_ID, config.YOUTUBE_OAUTH_CLIENT_SECRET);
  }
}

/**
 * VK ID (EXTERNAL-APIS §3.5) for refreshing a VK credential's one-hour access token: a public PKCE
 * client (client_id, no secret) whose grant is bound to a device_id, sent back on every refresh.
 * VK ID rotates refresh tokens; the stored one is replaced after each refresh.
 */
export function vkIdProvider(config: AppConfig, clientId: string, deviceId: string): OAuthProvider {
  return {
    platform: "vk",
    authorizeUrl: "https://id.vk.com/authorize",
    tokenUrl: config.VK_ID_TOKEN_URL,
    clientId,
    clientSecret: "",
    scopes: ["video", "groups", "wall"],
    clientAuth: "public",
    pkce: true,
    extraTokenParams: { device_id: deviceId, state: crypto.randomUUID() },
  };
}

/**
 * Google's OAuth for YouTube (§5.0): offline access with a forced consent screen (so a refresh
 * token is issued), upload and caption scopes. A credential connected with its own Google client
 * refreshes with that client; one connected through this server's flow with the server's app.
 */
export function youtubeProvider(config: AppConfig, clientId: string, clientSecret: string): OAuthProvider {
  if (!clientId || !clientSecret) throw notConfigured("YouTube (YOUTUBE_OAUTH_CLIENT_ID/SECRET)");
  return {
    platform: "youtube",
    authorizeUrl: config.GOOGLE_OAUTH_AUTHORIZE_URL,
    tokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
    clientId,
    clientSecret,
    scopes: ["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.force-ssl", "openid", "email"],
    clientAuth: "body",
    pkce: true,
    extraAuthorizeParams: { access_type: "offline", prompt: "consent" },
  };
}
