import type { CredentialRow } from "../../db/repositories/credentials.repository";
import { forTenant } from "../../db/repositories/tenant";
import { OAuthError, refreshTokens, type OAuthProvider } from "../../integrations/oauth/oauth-client";
import type { ZoomTokenSource } from "../../integrations/zoom/auth";
import { ZoomApiError } from "../../integrations/zoom/errors";
import { log } from "../../lib/logger";
import { rememberSecrets } from "../../lib/redact";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import { secretBox } from "../../lib/secret-box";
import type { ServiceContext } from "../context";
import { fingerprintOf, openCredential } from "../credentials/credentials.service";
import { markNeedsReauth } from "../credentials/needs-reauth";
import { oauthProvider } from "./providers";

const REFRESH_EARLY_MS = 5 * 60_000;
const LEASE_MS = 30_000;
const WAIT_STEP_MS = 200;

/** The stored access token, when it is one: a non-empty string. */
export const usableAccessToken = (payload: Record<string, unknown>): string | null =>
  typeof payload.access_token === "string" && payload.access_token.trim() !== "" ? payload.access_token : null;

/**
 * Whether the stored token can be sent as it is. A credential without a usable access token (missing,
 * empty, not a string) refreshes first (⚠ it was sent as "Bearer undefined"); one without an expiry
 * is used until the platform refuses it.
 */
const fresh = (token: string | null, payload: Record<string, unknown>, now: number): token is string =>
  token !== null && (typeof payload.expiry !== "string" || Date.parse(payload.expiry) - now > REFRESH_EARLY_MS);

/**
 * Access tokens of an OAuth credential, refreshed shortly before expiry. Refreshes are serialized
 * through a lease on the credential row, so concurrent requests (in any isolate) cause one call to
 * the token endpoint; the others wait for and use its result. A refresh the provider refuses for
 * good marks the credential as needing re-authorisation, with the reason shown to the user.
 */
export function oauthTokenSource(
  ctx: ServiceContext,
  credential: CredentialRow,
  /** The token endpoint to refresh at: the platform's app (Zoom), or the credential's own client (YouTube). */
  providerFor: (payload: Record<string, unknown>) => OAuthProvider = () => oauthProvider(ctx.config, "zoom"),
): ZoomTokenSource {
  const repo = forTenant(ctx.db, credential.userId).credentials;
  let forceRefresh = false;
  const current = async () => {
    const row = await repo.get(credential.id);
    if (!row) throw new ZoomApiError("auth", "credential was deleted");
    if (row.needsReauth) throw new ZoomApiError("auth", row.statusReason ?? "credential needs re-authorisation");
    return { row, payload: await openCredential(ctx, row) };
  };
  return {
    invalidate() {
      forceRefresh = true;
    },
    async token() {
      const deadline = Date.now() + LEASE_MS;
      for (;;) {
        const { row, payload } = await current();
        const now = ctx.clock.now();
        const stored = usableAccessToken(payload);
        if (!forceRefresh && fresh(stored, payload, now.getTime())) return stored;
        if (await repo.acquireRefreshLease(row.id, now, new Date(now.getTime() + LEASE_MS))) {
          try {
            return await refreshNow(ctx, row, payload, providerFor);
          } finally {
            forceRefresh = false;
            await repo.update(row.id, { refreshLeaseUntil: null });
          }
        }
        if (Date.now() > deadline) throw new ZoomApiError("server", "token refresh is taking too long");
        await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
        // Someone else refreshed (or is refreshing): the next loop reads their result.
        const after = await current();
        if (after.row.encryptedData !== row.encryptedData) forceRefresh = false;
      }
    },
  };
}

async function refreshNow(ctx: ServiceContext, row: CredentialRow, payload: Record<string, unknown>, providerFor: (payload: Record<string, unknown>) => OAuthProvider): Promise<string> {
  const repo = forTenant(ctx.db, row.userId).credentials;
  if (typeof payload.refresh_token !== "string") {
    throw new ZoomApiError("auth", usableAccessToken(payload) === null ? "the credential has neither an access token nor a refresh token; connect it again" : "access token expired and there is no refresh token");
  }
  try {
    const provider = providerFor(payload);
    rememberSecrets([provider.clientSecret]);
    const tokens = await refreshTokens(provider, payload.refresh_token);
    rememberSecrets([tokens.access_token, tokens.refresh_token]);
    if (tokens.access_token.trim() === "") throw new ZoomApiError("server", "the token endpoint answered an empty access token");
    const now = ctx.clock.now();
    const next = {
      ...payload,
      access_token: tokens.access_token,
      // Zoom rotates refresh tokens (the old one stops working); Google keeps the old one.
      refresh_token: tokens.refresh_token ?? payload.refresh_token,
      expiry: new Date(now.getTime() + (tokens.expires_in ?? 3600) * 1000).toISOString(),
    };
    const box = await secretBox(ctx.config.ENCRYPTION_KEYS);
    await repo.update(row.id, {
      encryptedData: await box.seal(JSON.stringify(next)),
      keyId: box.currentKeyId,
      fingerprint: await fingerprintOf(row.platform, next),
      needsReauth: false,
      statusReason: null,
      updatedAt: now,
    });
    log.info("oauth token refreshed", { credentialId: row.id });
    return tokens.access_token;
  } catch (error) {
    if (error instanceof OAuthError && error.permanent) {
      const reason = sanitizeProviderMessage(`Reconnect ${row.platform === "zoom" ? "Zoom" : row.platform}: ${error.message}`);
      await markNeedsReauth(ctx, row, reason);
      throw new ZoomApiError("auth", reason, error.status);
    }
    if (error instanceof OAuthError) throw new ZoomApiError("server", error.message, error.status);
    throw error;
  }
}
