import type { OAuthPlatform } from "./api/credential-mutations";

/** What the OAuth callback appends when it sends the browser back here (see OAUTH_RESULT_REDIRECT_URL). */
export interface ConnectionsSearch {
  platform?: OAuthPlatform;
  oauth_success?: true;
  credential_id?: number;
  oauth_error?: string;
}

const PLATFORMS: readonly OAuthPlatform[] = ["zoom", "youtube", "vk", "yandex_disk"];

export function validateConnectionsSearch(raw: Record<string, unknown>): ConnectionsSearch {
  const platform = PLATFORMS.find((p) => p === raw.platform);
  const credentialId = Number(raw.credential_id);
  return {
    ...(platform ? { platform } : {}),
    ...(raw.oauth_success === true || raw.oauth_success === "true" ? { oauth_success: true as const } : {}),
    ...(Number.isInteger(credentialId) && credentialId > 0 ? { credential_id: credentialId } : {}),
    // A short code from the callback; anything else is shown as the generic failure.
    ...(typeof raw.oauth_error === "string" && /^[a-z_]{1,40}$/.test(raw.oauth_error) ? { oauth_error: raw.oauth_error } : {}),
  };
}
