import { ProviderError } from "../provider-error";
import { parseRetryAfter } from "../zoom/errors";

/**
 * What went wrong, for the publishing stage to decide on:
 * - `auth` (401 after one refresh): reconnect Yandex Disk; `forbidden` (403): API disabled for the account;
 * - `already_exists` (409 DiskResourceAlreadyExistsError): the file is there and overwrite was off;
 * - `parent_missing` (409 DiskPathDoesntExistsError): create the folder first (`ensureFolder`);
 * - `link_expired` (404/410 on the upload href, valid 30 min): ask for a new upload link (retryable);
 * - `insufficient_storage` (507), `too_large` (413): permanent, the user must free space / change plan;
 * - `locked` (423), `rate_limited` (429), `server` (5xx), `network`: retry with backoff;
 * - `not_found`, `missing_public_url`, `invalid`: as named.
 */
export type YandexDiskErrorKind =
  | "auth"
  | "forbidden"
  | "already_exists"
  | "parent_missing"
  | "link_expired"
  | "insufficient_storage"
  | "too_large"
  | "locked"
  | "rate_limited"
  | "server"
  | "network"
  | "not_found"
  | "missing_public_url"
  | "invalid";

export class YandexDiskError extends ProviderError {
  override name = "YandexDiskError";
  constructor(
    readonly kind: YandexDiskErrorKind,
    message: string,
    retryable: boolean,
    status: number | null = null,
    /** The machine code of the error body (`DiskNotFoundError` …). */
    readonly code: string | null = null,
    retryAfterSeconds: number | null = null,
  ) {
    super("Yandex Disk", message, retryable, status, retryAfterSeconds);
  }
}

interface YandexErrorBody {
  message?: unknown;
  description?: unknown;
  error?: unknown;
}

/**
 * Classifies an error answer (`{message, description, error}`, EXTERNAL-APIS §4.3). `upload` marks
 * answers of the pre-signed upload href, where 404/410 mean the link expired.
 */
export async function yandexErrorFrom(response: Response, upload = false): Promise<YandexDiskError> {
  const text = await response.text().catch(() => "");
  let body: YandexErrorBody = {};
  try {
    body = JSON.parse(text) as YandexErrorBody;
  } catch {
    // the uploader answers with plain text or nothing
  }
  const status = response.status;
  const code = typeof body.error === "string" ? body.error : null;
  const message = typeof body.message === "string" ? body.message : null;
  const description = typeof body.description === "string" ? body.description : null;
  // LEAP showed message (localised) first, then description (English).
  const detail = [message, description && description !== message ? description : null].filter(Boolean).join(" / ") || code || `HTTP ${status}`;
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  if (upload && (status === 404 || status === 410)) return new YandexDiskError("link_expired", `the upload link expired (${detail}); request a new one`, true, status, code);
  if (status === 507) return new YandexDiskError("insufficient_storage", `not enough free space on the Disk (${detail})`, false, status, code);
  if (status === 413) return new YandexDiskError("too_large", `the file is larger than the Disk plan allows (${detail})`, false, status, code);
  if (status === 409 && code === "DiskPathDoesntExistsError") return new YandexDiskError("parent_missing", `the parent folder does not exist (${detail})`, false, status, code);
  if (status === 409) return new YandexDiskError("already_exists", `the resource already exists (${detail})`, false, status, code);
  if (status === 423) return new YandexDiskError("locked", `the resource is locked (${detail})`, true, status, code, retryAfter ?? 30);
  if (status === 429) return new YandexDiskError("rate_limited", `rate limited (${detail})`, true, status, code, retryAfter);
  if (status >= 500) return new YandexDiskError("server", `server error ${status} (${detail})`, true, status, code, retryAfter);
  if (status === 401) return new YandexDiskError("auth", `the token was rejected (${detail}); reconnect Yandex Disk`, false, status, code);
  if (status === 403) return new YandexDiskError("forbidden", `access denied (${detail})`, false, status, code);
  if (status === 404) return new YandexDiskError("not_found", `not found (${detail})`, false, status, code);
  return new YandexDiskError("invalid", `request refused with ${status} (${detail})`, false, status, code);
}

export function yandexNetworkError(error: unknown, timeoutMs: number): YandexDiskError {
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return new YandexDiskError("network", timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `network error (${error instanceof Error ? error.message : "fetch failed"})`, true);
}
