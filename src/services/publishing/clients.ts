import type { CredentialRow } from "../../db/repositories/credentials.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { TokenSource } from "../../integrations/token-source";
import { VkClient } from "../../integrations/vk/client";
import { YandexDiskClient } from "../../integrations/yandex-disk/client";
import { YouTubeClient } from "../../integrations/youtube/client";
import { ZoomApiError } from "../../integrations/zoom/errors";
import type { ServiceContext } from "../context";
import { openCredential } from "../credentials/credentials.service";
import { vkIdProvider, youtubeProvider } from "../oauth/providers";
import { oauthTokenSource } from "../oauth/token-refresh";
import { markNeedsReauth } from "../credentials/needs-reauth";
import { PermanentStageError } from "../pipeline/stage-errors";

/**
 * A token that cannot be refreshed here (Yandex Disk, VK without a VK ID grant): after the platform refuses it, the
 * credential is marked as needing to be connected again and the upload fails with that reason.
 */
function storedToken(ctx: ServiceContext, credential: CredentialRow, token: unknown, platform: string): TokenSource {
  let refused = false;
  return {
    async token() {
      // Never sent as "Bearer undefined": a credential without a token cannot be used until it is connected again.
      const usable = typeof token === "string" && token.trim() !== "";
      if (usable && !refused) return token;
      const reason = `Reconnect ${platform}: ${usable ? "the access token was refused" : "the credential holds no access token"}`;
      await markNeedsReauth(ctx, credential, reason);
      throw new ZoomApiError("auth", reason);
    },
    invalidate() {
      refused = true;
    },
  };
}

async function usableCredential(ctx: ServiceContext, userId: string, credentialId: number | null, platform: string): Promise<CredentialRow> {
  const credential = credentialId === null ? undefined : await forTenant(ctx.db, userId).credentials.get(credentialId);
  if (!credential || credential.platform !== platform) throw new PermanentStageError(`The preset has no ${platform} credential; set one on the preset`);
  if (!credential.isActive || credential.needsReauth) {
    throw new PermanentStageError(`The ${platform} credential needs to be connected again${credential.statusReason ? `: ${credential.statusReason}` : ""}`);
  }
  return credential;
}

/** A YouTube client on the user's Google credential; its token is refreshed with the credential's own OAuth client. */
export async function youtubeClientFor(ctx: ServiceContext, userId: string, credentialId: number | null): Promise<YouTubeClient> {
  const credential = await usableCredential(ctx, userId, credentialId, "youtube");
  const tokens = oauthTokenSource(ctx, credential, (payload) =>
    typeof payload.client_id === "string" && typeof payload.client_secret === "string"
      ? youtubeProvider(ctx.config, payload.client_id, payload.client_secret)
      : youtubeProvider(ctx.config, ctx.config.YOUTUBE_OAUTH_CLIENT_ID, ctx.config.YOUTUBE_OAUTH_CLIENT_SECRET),
  );
  return new YouTubeClient({ apiBase: ctx.config.YOUTUBE_API_BASE_URL, uploadBase: ctx.config.YOUTUBE_UPLOAD_BASE_URL, tokens, now: () => ctx.clock.now() });
}

/**
 * A VK client on the user's credential. A VK ID credential (refresh_token, client_id and device_id
 * stored) is refreshed through VK ID before its hour runs out or when VK refuses it; any other
 * token is used as stored until VK refuses it.
 */
export async function vkClientFor(ctx: ServiceContext, userId: string, credentialId: number | null): Promise<VkClient> {
  const credential = await usableCredential(ctx, userId, credentialId, "vk");
  const payload = await openCredential(ctx, credential);
  const refreshable = typeof payload.refresh_token === "string" && typeof payload.client_id === "string" && typeof payload.device_id === "string";
  const tokens = refreshable
    ? oauthTokenSource(ctx, credential, (p) => vkIdProvider(ctx.config, String(p.client_id), String(p.device_id)))
    : storedToken(ctx, credential, payload.access_token, "VK");
  return new VkClient({ apiBase: ctx.config.VK_API_BASE_URL, tokens });
}

export async function yandexClientFor(ctx: ServiceContext, userId: string, credentialId: number | null): Promise<YandexDiskClient> {
  const credential = await usableCredential(ctx, userId, credentialId, "yandex_disk");
  const payload = await openCredential(ctx, credential);
  return new YandexDiskClient({ apiBase: ctx.config.YANDEX_DISK_API_BASE_URL, tokens: storedToken(ctx, credential, payload.oauth_token, "Yandex Disk") });
}
