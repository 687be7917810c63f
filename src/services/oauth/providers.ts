import type { OAuthProvider } from "../../integrations/oauth/oauth-client";
import type { AppConfig } from "../../lib/config";
import { AppError } from "../../lib/errors";

export const OAUTH_PLATFORMS = ["zoom", "youtube", "vk", "yandex_disk"] as const;
export type OAuthPlatform = (typeof OAUTH_PLATFORMS)[number];

const notConfigured = (what: string) => new AppError("SERVICE_UNAVAILABLE", `${what} OAuth is not configured on this server`);

/** The platform's OAuth apps, from configuration. */
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
    case "vk":
      if (!config.VK_ID_CLIENT_ID) throw notConfigured("VK ID (VK_ID_CLIENT_ID)");
      return vkIdProvider(config, config.VK_ID_CLIENT_ID);
    case "yandex_disk":
      if (!config.YANDEX_OAUTH_CLIENT_ID || !config.YANDEX_OAUTH_CLIENT_SECRET) throw notConfigured("Yandex (YANDEX_OAUTH_CLIENT_ID/SECRET)");
      return {
        platform,
        authorizeUrl: new URL("/authorize", config.YANDEX_OAUTH_BASE_URL).toString(),
        tokenUrl: new URL("/token", config.YANDEX_OAUTH_BASE_URL).toString(),
        clientId: config.YANDEX_OAUTH_CLIENT_ID,
        clientSecret: config.YANDEX_OAUTH_CLIENT_SECRET,
        scopes: ["cloud_api:disk.read", "cloud_api:disk.write", "cloud_api:disk.info"],
        // EXTERNAL-APIS §4: client_secret in the body, the consent screen every time.
        clientAuth: "body",
        pkce: false,
        extraAuthorizeParams: { force_confirm: "yes" },
      };
  }
}

/**
 * VK ID (EXTERNAL-APIS §3.5): a public PKCE client (client_id, no secret). Its grant is bound to the
 * device_id VK ID hands back with the code, which every token request sends again (with a state).
 * VK ID rotates refresh tokens; the stored one is replaced after each refresh.
 */
export function vkIdProvider(config: AppConfig, clientId: string, deviceId?: string): OAuthProvider {
  return {
    platform: "vk",
    authorizeUrl: config.VK_ID_AUTHORIZE_URL,
    tokenUrl: config.VK_ID_TOKEN_URL,
    clientId,
    clientSecret: "",
    // video for uploads; groups and wall for community uploads and wall posts (§3.1).
    scopes: ["video", "groups", "wall"],
    clientAuth: "public",
    pkce: true,
    ...(deviceId ? { extraTokenParams: { device_id: deviceId, state: crypto.randomUUID() } } : {}),
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
