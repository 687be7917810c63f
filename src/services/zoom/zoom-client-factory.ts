import type { CredentialRow } from "../../db/repositories/credentials.repository";
import { serverToServerTokens, staticToken } from "../../integrations/zoom/auth";
import { ZoomClient } from "../../integrations/zoom/client";
import type { ZoomApiError } from "../../integrations/zoom/errors";
import { AppError } from "../../lib/errors";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import type { ServiceContext } from "../context";
import { openCredential } from "../credentials/credentials.service";
import { oauthTokenSource } from "../oauth/token-refresh";

/** A Zoom client for a stored credential: Server-to-Server when it has an account id, else its OAuth token. */
export async function zoomClientFor(ctx: ServiceContext, credential: CredentialRow): Promise<ZoomClient> {
  if (credential.platform !== "zoom") throw new AppError("BAD_REQUEST", "Not a Zoom credential");
  if (credential.needsReauth) {
    throw new AppError("PRECONDITION_FAILED", `The Zoom credential needs re-authorisation: ${credential.statusReason ?? "rejected by Zoom"}`);
  }
  const payload = await openCredential(ctx, credential);
  const tokens =
    typeof payload.account_id === "string"
      ? serverToServerTokens({
          oauthBase: ctx.config.ZOOM_OAUTH_BASE_URL,
          accountId: payload.account_id,
          clientId: String(payload.client_id),
          clientSecret: String(payload.client_secret),
        })
      : typeof payload.refresh_token === "string"
        ? oauthTokenSource(ctx, credential)
        : staticToken(String(payload.access_token));
  return new ZoomClient({ apiBase: ctx.config.ZOOM_API_BASE_URL, tokens });
}

/** Maps a Zoom failure onto the API's vocabulary: the user sees why, and nothing is lost. */
export function zoomFailureToAppError(error: ZoomApiError): AppError {
  switch (error.kind) {
    case "auth":
      return new AppError("PRECONDITION_FAILED", `Zoom rejected the credential (${sanitizeProviderMessage(error.message)}); update or reconnect it`);
    case "rate_limited":
      return new AppError("RATE_LIMITED", "Zoom's rate limit was reached; try again later", {
        headers: { "Retry-After": String(error.retryAfterSeconds ?? 60) },
      });
    default:
      return new AppError("BAD_GATEWAY", `Zoom is unavailable (${sanitizeProviderMessage(error.message)}); nothing was lost, try again later`);
  }
}
