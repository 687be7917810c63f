import { bytesToBase64Url, utf8 } from "../../lib/encoding";

/** An OAuth 2.0 provider as configured (shared by Zoom now and YouTube/VK/Yandex later). */
export interface OAuthProvider {
  platform: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /**
   * "basic": client credentials in HTTP Basic auth (Zoom); "body": in the form body (Google);
   * "public": a PKCE client that sends only its client_id (VK ID).
   */
  clientAuth: "basic" | "body" | "public";
  pkce: boolean;
  extraAuthorizeParams?: Record<string, string>;
  /** Sent with every token request (VK ID wants the `device_id` of the grant and a `state`). */
  extraTokenParams?: Record<string, string>;
}

export interface OAuthTokens {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  token_type?: string;
  /** OpenID Connect (Google): carries the account's e-mail. */
  id_token?: string;
  /** VK ID: the account the grant belongs to. */
  user_id?: number | string;
}

export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    message: string,
    /** invalid_grant and friends: the grant is dead, the user must connect again. */
    readonly permanent: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export function pkceVerifier(): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(48)));
}

export async function pkceChallenge(verifier: string): Promise<string> {
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(verifier))));
}

export async function authorizationUrl(provider: OAuthProvider, input: { state: string; redirectUri: string; verifier: string }): Promise<string> {
  const url = new URL(provider.authorizeUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", provider.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("state", input.state);
  url.searchParams.set("scope", provider.scopes.join(" "));
  if (provider.pkce) {
    url.searchParams.set("code_challenge", await pkceChallenge(input.verifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  for (const [k, v] of Object.entries(provider.extraAuthorizeParams ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

async function tokenRequest(provider: OAuthProvider, params: Record<string, string>, doFetch: typeof fetch): Promise<OAuthTokens> {
  const body = new URLSearchParams({ ...params, ...provider.extraTokenParams });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (provider.clientAuth === "basic") headers.Authorization = `Basic ${btoa(`${provider.clientId}:${provider.clientSecret}`)}`;
  else {
    body.set("client_id", provider.clientId);
    if (provider.clientAuth === "body") body.set("client_secret", provider.clientSecret);
  }
  let response: Response;
  try {
    response = await doFetch(provider.tokenUrl, { method: "POST", headers, body });
  } catch (error) {
    throw new OAuthError(`token endpoint unreachable: ${error instanceof Error ? error.message : "network error"}`, false);
  }
  const json = (await response.json().catch(() => null)) as (Partial<OAuthTokens> & { error?: string; reason?: string }) | null;
  if (!response.ok || !json || typeof json.access_token !== "string" || json.error) {
    const reason = json?.reason ?? json?.error ?? `HTTP ${response.status}`;
    const permanent = response.status === 400 || response.status === 401 || json?.error === "invalid_grant";
    throw new OAuthError(`${provider.platform} token request failed: ${reason}`, permanent && response.status < 500, response.status);
  }
  return json as OAuthTokens;
}

export function exchangeCode(provider: OAuthProvider, input: { code: string; redirectUri: string; verifier: string }, doFetch: typeof fetch = fetch) {
  const params: Record<string, string> = { grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri };
  if (provider.pkce) params.code_verifier = input.verifier;
  return tokenRequest(provider, params, doFetch);
}

export function refreshTokens(provider: OAuthProvider, refreshToken: string, doFetch: typeof fetch = fetch) {
  return tokenRequest(provider, { grant_type: "refresh_token", refresh_token: refreshToken }, doFetch);
}
