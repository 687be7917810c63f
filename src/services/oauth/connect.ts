import type { AuthContext } from "../../app-types";
import { consumeOAuthState, insertOAuthState } from "../../db/repositories/oauth-states.repository";
import { forTenant } from "../../db/repositories/tenant";
import { authorizationUrl, exchangeCode, OAuthError, pkceVerifier, type OAuthTokens } from "../../integrations/oauth/oauth-client";
import { timingSafeEqual } from "../../lib/crypto";
import { base64UrlToBytes, bytesToBase64Url, utf8 } from "../../lib/encoding";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { staticToken } from "../../integrations/zoom/auth";
import { ZoomClient } from "../../integrations/zoom/client";
import { AppError } from "../../lib/errors";
import { createCredential, fingerprintOf, updateCredential } from "../credentials/credentials.service";
import { oauthProvider, type OAuthPlatform } from "./providers";

export const STATE_TTL_SECONDS = 600;

async function sign(ctx: ServiceContext, id: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8.encode(ctx.config.JWT_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(`oauth-state:${id}`))));
}

export function callbackUri(ctx: ServiceContext, requestOrigin: string, platform: OAuthPlatform): string {
  return `${ctx.config.PUBLIC_BASE_URL || requestOrigin}/api/v1/oauth/${platform}/callback`;
}

/**
 * Starts a connect flow: a signed, single-use state (stored with its PKCE verifier for 10 min)
 * and the provider's authorization URL.
 */
export async function startConnect(ctx: ServiceContext, auth: AuthContext, platform: OAuthPlatform, requestOrigin: string) {
  const provider = oauthProvider(ctx.config, platform);
  const id = ulid();
  const verifier = pkceVerifier();
  const redirectUri = callbackUri(ctx, requestOrigin, platform);
  const now = ctx.clock.now();
  await insertOAuthState(ctx.db, {
    id,
    userId: auth.userId,
    platform,
    codeVerifier: verifier,
    redirectUri,
    createdAt: now,
    expiresAt: new Date(now.getTime() + STATE_TTL_SECONDS * 1000),
  });
  const state = `${id}.${await sign(ctx, id)}`;
  return { authorizationUrl: await authorizationUrl(provider, { state, redirectUri, verifier }), state, expiresIn: STATE_TTL_SECONDS };
}

/** The connected account: Zoom's /users/me, the e-mail in Google's ID token, VK ID's user_id (Yandex: none in the answer). */
async function accountOf(ctx: ServiceContext, platform: OAuthPlatform, tokens: OAuthTokens): Promise<{ email?: string }> {
  if (platform === "zoom") {
    return new ZoomClient({ apiBase: ctx.config.ZOOM_API_BASE_URL, tokens: staticToken(tokens.access_token) }).me().catch(() => ({ email: undefined }));
  }
  if (platform === "vk") return tokens.user_id !== undefined ? { email: `vk:${tokens.user_id}` } : {};
  if (platform === "yandex_disk") return {};
  // The ID token came straight from Google's token endpoint over TLS, so its claims need no signature check here.
  const claims = tokens.id_token?.split(".")[1];
  if (!claims) return {};
  try {
    const email = (JSON.parse(new TextDecoder().decode(base64UrlToBytes(claims))) as { email?: unknown }).email;
    return typeof email === "string" ? { email } : {};
  } catch {
    return {};
  }
}

export type CallbackOutcome = { ok: true; credentialId: number } | { ok: false; error: "access_denied" | "invalid_state" | "token_exchange_failed" };

/** Finishes a connect flow: validates the state, exchanges the code, stores the tokens as a credential. */
export async function finishConnect(
  ctx: ServiceContext,
  platform: OAuthPlatform,
  /** VK ID adds the `device_id` its grant is bound to. */
  query: { code?: string; state?: string; error?: string; device_id?: string },
): Promise<CallbackOutcome> {
  if (query.error) return { ok: false, error: "access_denied" };
  const [id, signature] = (query.state ?? "").split(".");
  if (!id || !signature || !query.code || !timingSafeEqual(utf8.encode(signature), utf8.encode(await sign(ctx, id)))) {
    return { ok: false, error: "invalid_state" };
  }
  if (platform === "vk" && !query.device_id) return { ok: false, error: "invalid_state" };
  const state = await consumeOAuthState(ctx.db, id, ctx.clock.now());
  if (!state || state.platform !== platform) return { ok: false, error: "invalid_state" };
  const configured = oauthProvider(ctx.config, platform);
  // VK ID's code exchange carries the device the grant is bound to, and a state.
  const provider = platform === "vk" ? { ...configured, extraTokenParams: { device_id: query.device_id!, state: query.state! } } : configured;
  let tokens;
  try {
    tokens = await exchangeCode(provider, { code: query.code, redirectUri: state.redirectUri, verifier: state.codeVerifier });
  } catch (error) {
    log.warn("oauth code exchange failed", { platform, error: error instanceof OAuthError ? error.message : "unknown" });
    return { ok: false, error: "token_exchange_failed" };
  }
  const now = ctx.clock.now();
  // The account behind the token names the credential and makes reconnecting replace it.
  const me = await accountOf(ctx, platform, tokens);
  const payload = credentialPayload(platform, tokens, { now, account: me.email, clientId: provider.clientId, deviceId: query.device_id });
  const auth = { userId: state.userId, sessionId: "", email: "", role: "user" as const };
  try {
    const credential = await createCredential(ctx, auth, { platform, accountName: me.email ?? "oauth", credentials: payload });
    return { ok: true, credentialId: credential.id };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "CONFLICT") throw error;
    const fingerprint = await fingerprintOf(platform, payload);
    const existing = (await forTenant(ctx.db, state.userId).credentials.list(platform)).find((c) => c.fingerprint === fingerprint);
    if (!existing) throw error;
    await updateCredential(ctx, auth, existing.id, { credentials: payload, isActive: true });
    return { ok: true, credentialId: existing.id };
  }
}

/** What each platform's credential stores from a token answer (the shapes of platform-payloads.ts). */
function credentialPayload(platform: OAuthPlatform, tokens: OAuthTokens, about: { now: Date; account?: string; clientId: string; deviceId?: string }): Record<string, unknown> {
  const refresh = tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {};
  const expiry = new Date(about.now.getTime() + (tokens.expires_in ?? 3600) * 1000).toISOString();
  switch (platform) {
    case "vk":
      // What a refresh needs later: the VK ID client and the device the grant is bound to.
      return { access_token: tokens.access_token, ...refresh, client_id: about.clientId, device_id: about.deviceId, ...(tokens.user_id !== undefined ? { user_id: tokens.user_id } : {}), expiry };
    case "yandex_disk":
      return { oauth_token: tokens.access_token, ...refresh, ...(about.account ? { account: about.account } : {}) };
    default:
      return { access_token: tokens.access_token, ...refresh, expiry, ...(tokens.scope ? { scope: tokens.scope } : {}), ...(about.account ? { account: about.account } : {}) };
  }
}
