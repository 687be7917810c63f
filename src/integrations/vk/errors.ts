import { ProviderError } from "../provider-error";

/**
 * What went wrong, for the publishing stage to decide on:
 * - `auth` (5, 28): the token was refused even after one refresh → reconnect VK;
 * - `rate_limited` (6), `flood_control` (9), `server` (1, 10, HTTP 5xx), `network`: retry with backoff;
 * - `captcha` (14), `validation_required` (17): a person must act on VK first → permanent;
 * - `quota` (29): the method's daily limit is used up → try again tomorrow;
 * - `upload_failed`: the upload host refused the file (an expired upload_url …) → new video.save;
 * - `forbidden`, `invalid`: permanent, the message says why.
 */
export type VkErrorKind =
  | "auth"
  | "rate_limited"
  | "flood_control"
  | "captcha"
  | "validation_required"
  | "quota"
  | "server"
  | "network"
  | "upload_failed"
  | "forbidden"
  | "invalid";

export class VkApiError extends ProviderError {
  override name = "VkApiError";
  constructor(
    readonly kind: VkErrorKind,
    message: string,
    retryable: boolean,
    /** VK's `error_code` (errors come with HTTP 200), or null for HTTP/network failures. */
    readonly code: number | null = null,
    status: number | null = null,
    retryAfterSeconds: number | null = null,
  ) {
    super("VK", message, retryable, status, retryAfterSeconds);
  }
}

/** Error 14: VK wants a captcha solved; an unattended upload cannot, so this is permanent. */
export class VkCaptchaError extends VkApiError {
  override name = "VkCaptchaError";
  constructor(
    message: string,
    /** Newer answers: the page where the account owner solves it. */
    readonly redirectUri: string | null,
    /** Older answers: sid + image for a retry with `captcha_key`. */
    readonly captchaSid: string | null,
    readonly captchaImg: string | null,
  ) {
    super("captcha", message, false, 14, 200);
  }
}

export interface VkErrorBody {
  error_code?: unknown;
  error_msg?: unknown;
  redirect_uri?: unknown;
  captcha_sid?: unknown;
  captcha_img?: unknown;
}

/** Codes after which VK answers again once a fresh token is used (LEAP refreshed on these). */
export const VK_AUTH_CODES = new Set([5, 28]);
/** "This video is already added" (to the album): success for an idempotent step. */
export const VK_ALREADY_ADDED = 800;

const FORBIDDEN = new Set([7, 15, 18, 200, 201, 203, 204]);
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);

/** Classifies `{"error":{…}}` of a VK answer (EXTERNAL-APIS §3.4). */
export function vkErrorFrom(method: string, error: VkErrorBody): VkApiError {
  const code = typeof error.error_code === "number" ? error.error_code : Number(error.error_code);
  const msg = `${method}: ${str(error.error_msg) ?? "error"} (code ${Number.isFinite(code) ? code : "?"})`;
  switch (true) {
    case VK_AUTH_CODES.has(code):
      return new VkApiError("auth", `${msg}; the VK token is invalid or expired, reconnect VK`, false, code, 200);
    case code === 6:
      return new VkApiError("rate_limited", `${msg}; too many requests per second`, true, code, 200, 1);
    case code === 9:
      // Flood control lasts minutes, not seconds: back off well beyond a per-second limit.
      return new VkApiError("flood_control", `${msg}; too many similar actions, VK asks to slow down`, true, code, 200, 60);
    case code === 14:
      return new VkCaptchaError(
        `${msg}; VK requires a captcha for this account, which an automatic upload cannot solve — ` +
          "open VK as the account owner (or wait a few hours) and retry; fewer parallel uploads avoid it",
        str(error.redirect_uri),
        str(error.captcha_sid),
        str(error.captcha_img),
      );
    case code === 17:
      return new VkApiError("validation_required", `${msg}; the account owner must confirm the account at ${str(error.redirect_uri) ?? "vk.com"}`, false, code, 200);
    case code === 29:
      return new VkApiError("quota", `${msg}; the method's daily limit is reached, try again tomorrow`, false, code, 200);
    case code === 1 || code === 10:
      return new VkApiError("server", `${msg}; VK had an internal error`, true, code, 200, 5);
    case FORBIDDEN.has(code):
      return new VkApiError("forbidden", `${msg}; access denied (check the token's scopes and community rights)`, false, code, 200);
    default:
      return new VkApiError("invalid", msg, false, Number.isFinite(code) ? code : null, 200);
  }
}

export function vkNetworkError(error: unknown, timeoutMs: number): VkApiError {
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return new VkApiError("network", timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `network error (${error instanceof Error ? error.message : "fetch failed"})`, true);
}

/** A non-200 HTTP answer (VK itself answers errors with 200; proxies and the upload host do not). */
export async function vkHttpError(what: string, response: Response): Promise<VkApiError> {
  const text = (await response.text().catch(() => "")).trim().slice(0, 200);
  const detail = text && !text.startsWith("<") ? `: ${text}` : "";
  const status = response.status;
  if (status >= 500 || status === 429) return new VkApiError(status === 429 ? "rate_limited" : "server", `${what} answered HTTP ${status}${detail}`, true, null, status);
  if (status === 413) return new VkApiError("invalid", `${what}: the file is too large for VK (HTTP 413)`, false, null, status);
  return new VkApiError("invalid", `${what} answered HTTP ${status}${detail}`, false, null, status);
}
