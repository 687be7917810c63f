import { sanitizeProviderMessage } from "../lib/sanitize-provider-message";
import { OutboundUrlRefused } from "../lib/outbound-policy";
import { plainSend, type OutboundSend } from "./safe-fetch";
import { parseRetryAfter } from "./zoom/errors";

/**
 * A failure of an outside provider (transcription, LLM), classified once where the HTTP answer is
 * read: `retryable` failures (network, timeouts, 429, 5xx, a truncated body) are retried by the
 * stage engine with backoff and the provider's Retry-After; the rest fail the stage with `message`.
 */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    readonly provider: string,
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${provider}: ${message}`);
  }
}

const ERROR_DETAIL_MAX_CHARS = 300;

/**
 * A readable message out of the error bodies providers send, sanitised (some echo the request's
 * key, headers or URL): what every ProviderError built from an answer carries. Sanitised before
 * it is cut, so a cut never leaves half a secret behind.
 */
function errorMessage(text: string): string | null {
  const raw = rawErrorMessage(text);
  return raw === null ? null : sanitizeProviderMessage(raw, ERROR_DETAIL_MAX_CHARS) || null;
}

/** `{error: "…"}`, `{error: {message}}`, `{message}`, `{detail}` or plain text (not an HTML page). */
function rawErrorMessage(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    if (typeof body.error === "string") return body.error;
    if (body.error && typeof body.error === "object" && typeof (body.error as { message?: unknown }).message === "string") {
      return (body.error as { message: string }).message;
    }
    if (typeof body.message === "string") return body.message;
    if (typeof body.detail === "string") return body.detail;
  } catch {
    // not JSON
  }
  const trimmed = text.trim();
  return trimmed && !trimmed.startsWith("<") ? trimmed.slice(0, 65_536) : null;
}

export async function providerErrorFrom(provider: string, response: Response): Promise<ProviderError> {
  const text = await response.text().catch(() => "");
  const detail = errorMessage(text) ?? `HTTP ${response.status}`;
  const status = response.status;
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  if (status === 429) return new ProviderError(provider, `rate limited (${detail})`, true, status, retryAfter);
  if (status >= 500) return new ProviderError(provider, `server error ${status} (${detail})`, true, status, retryAfter);
  if (status === 401 || status === 403) return new ProviderError(provider, `the credential was rejected (${detail}); update it`, false, status);
  if (status === 402) return new ProviderError(provider, `the account has no balance (${detail})`, false, status);
  if (status === 413) return new ProviderError(provider, `the file is too large for this provider (${detail})`, false, status);
  return new ProviderError(provider, `request refused with ${status} (${detail})`, false, status);
}

/**
 * fetch with a timeout, answering parsed JSON or throwing a classified ProviderError. The body is
 * parsed leniently: DeepSeek sends blank lines before the JSON while it holds a busy connection.
 */
export async function fetchJson<T>(provider: string, url: string, init: RequestInit, timeoutMs: number, send: OutboundSend = plainSend): Promise<T> {
  let response: Response;
  try {
    response = await send(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof OutboundUrlRefused) throw new ProviderError(provider, error.message, false);
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new ProviderError(provider, timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `network error (${error instanceof Error ? error.message : "fetch failed"})`, true);
  }
  if (!response.ok) throw await providerErrorFrom(provider, response);
  const text = await response.text().catch(() => null);
  if (text === null) throw new ProviderError(provider, "the answer broke off", true, response.status);
  try {
    return JSON.parse(text.trimStart()) as T;
  } catch {
    throw new ProviderError(provider, `answered ${response.status} with a body that is not JSON`, true, response.status);
  }
}
