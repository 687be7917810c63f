import { assertAllowedUrl, hostMatches, OutboundUrlRefused, type OutboundPolicy } from "../lib/outbound-policy";

/** The shape of fetch the integrations call through (global fetch, or a policed one). */
export type OutboundSend = (url: string, init: RequestInit) => Promise<Response>;

/** Late-bound, so a test's spy on globalThis.fetch sees the call. */
export const plainSend: OutboundSend = (url, init) => fetch(url, init);

export interface SafeFetchOptions {
  policy: OutboundPolicy;
  /**
   * Host patterns (see hostMatches) the request's own headers may go to; by default only the first
   * URL's host. Elsewhere, and after any redirect to another host, only PORTABLE_HEADERS are sent.
   */
  credentialHosts?: readonly string[];
  /** At most this many redirects are followed (each one re-checked); default 5. */
  maxRedirects?: number;
}

export const MAX_REDIRECTS = 5;

/**
 * The headers that carry no authority and may follow a request anywhere; every other header
 * (Authorization, API keys, cookies, passcodes, anything a caller adds later) counts as a
 * credential. An allow-list, so a new credential header is safe by default.
 */
const PORTABLE_HEADERS = new Set([
  "accept",
  "accept-language",
  "content-type",
  "content-length",
  "range",
  "if-range",
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "user-agent",
]);

function portable(headers: Headers): Headers {
  const kept = new Headers();
  headers.forEach((value, name) => {
    if (PORTABLE_HEADERS.has(name.toLowerCase())) kept.set(name, value);
  });
  return kept;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * fetch for URLs a tenant can influence: the URL and every redirect hop pass the outbound policy
 * (redirects are followed by hand, at most `maxRedirects`), and the caller's credential headers
 * reach only the credential hosts and never cross a redirect to another host. Throws
 * OutboundUrlRefused (naming the rule) before connecting to anything the policy refuses.
 */
export async function safeFetch(url: string | URL, init: RequestInit, options: SafeFetchOptions): Promise<Response> {
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  let current = assertAllowedUrl(url, options.policy);
  const origin = current.host;
  const credentialHosts = options.credentialHosts ?? [current.hostname];
  const given = new Headers(init.headers);
  let credentialsAllowed = hostMatches(current, credentialHosts);
  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body ?? null;
  for (let hop = 0; ; hop++) {
    const headers = credentialsAllowed ? given : portable(given);
    const response = await fetch(current.href, { ...init, method, headers, body, redirect: "manual" });
    const location = response.headers.get("Location");
    // A body sent as a stream cannot be sent again: a 307/308 after one is the caller's to handle.
    if (!REDIRECTS.has(response.status) || !location || ((response.status === 307 || response.status === 308) && body !== null)) return response;
    await response.body?.cancel();
    if (hop >= maxRedirects) throw new OutboundUrlRefused("redirect_limit", current.hostname, `more than ${maxRedirects} redirects`);
    let next: URL;
    try {
      next = assertAllowedUrl(new URL(location, current), options.policy);
    } catch (error) {
      if (error instanceof OutboundUrlRefused) {
        throw new OutboundUrlRefused(error.rule, error.host, `${error.reason} (redirect ${hop + 1} from ${current.hostname})`);
      }
      throw new OutboundUrlRefused("redirect_location", current.hostname, `host ${current.hostname} redirected to an invalid URL`);
    }
    // Once a hop leaves the first host, the credentials stay behind for the rest of the chain.
    if (next.host !== origin) credentialsAllowed = false;
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = method === "HEAD" ? "HEAD" : "GET";
      body = null;
      given.delete("content-type");
      given.delete("content-length");
    }
    current = next;
  }
}

/** An OutboundSend that applies the policy (for clients handed a tenant-provided base URL). */
export const policedSend =
  (options: SafeFetchOptions): OutboundSend =>
  (url, init) =>
    safeFetch(url, init, options);
