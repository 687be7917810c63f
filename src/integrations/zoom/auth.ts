import { ZoomApiError, zoomErrorFrom } from "./errors";

export interface ZoomTokenSource {
  token(): Promise<string>;
  /** Drops a cached token after Zoom rejected it. */
  invalidate(): void;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** Per-isolate cache of Server-to-Server tokens, keyed by account, client and secret. */
const s2sCache = new Map<string, CachedToken>();
const inflight = new Map<string, Promise<CachedToken>>();
const EARLY_REFRESH_MS = 60_000;

/**
 * Server-to-Server OAuth (account_credentials grant, EXTERNAL-APIS §1.1): one token per account,
 * reused until a minute before expiry; concurrent callers share one token request.
 */
export function serverToServerTokens(options: {
  oauthBase: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now?: () => number;
}): ZoomTokenSource {
  // The secret is part of the key (in memory only): a credential with a wrong secret must never
  // borrow a token that another credential of the same account obtained.
  const key = `${options.accountId}:${options.clientId}:${options.clientSecret}`;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const request = async (): Promise<CachedToken> => {
    const url = new URL("/oauth/token", options.oauthBase);
    url.searchParams.set("grant_type", "account_credentials");
    url.searchParams.set("account_id", options.accountId);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers: { Authorization: `Basic ${btoa(`${options.clientId}:${options.clientSecret}`)}` },
      });
    } catch (error) {
      throw new ZoomApiError("network", `Zoom token request failed: ${error instanceof Error ? error.message : "network error"}`);
    }
    if (!response.ok) throw await zoomErrorFrom(response);
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string") throw new ZoomApiError("invalid", "Zoom token response has no access_token", response.status);
    const ttl = typeof body.expires_in === "number" ? body.expires_in : 3600;
    return { value: body.access_token, expiresAt: now() + ttl * 1000 - EARLY_REFRESH_MS };
  };
  return {
    async token() {
      const cached = s2sCache.get(key);
      if (cached && cached.expiresAt > now()) return cached.value;
      let pending = inflight.get(key);
      if (!pending) {
        pending = request().finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      const fresh = await pending;
      s2sCache.set(key, fresh);
      return fresh.value;
    },
    invalidate() {
      s2sCache.delete(key);
    },
  };
}

/** A user OAuth access token as stored (refreshing it is the OAuth service's job). */
export function staticToken(value: string): ZoomTokenSource {
  return { token: async () => value, invalidate: () => undefined };
}
