import { instantOf, wallTimeAt } from "../../lib/time-zone";
import { ProviderError } from "../provider-error";
import { parseRetryAfter } from "../zoom/errors";

/**
 * What went wrong, for the publishing stage to decide on (never on status codes):
 * - `auth`: the token was refused even after one refresh → the credential needs re-authorisation;
 * - `quota`: the project's daily quota or the channel's upload cap → wait until `resetsAt`;
 * - `session_expired`: the resumable session is gone → start a new one (only if no video id is known);
 * - `rate_limited`, `server`, `network`: transient → retry with backoff (`retryable`);
 * - `not_found`: video/playlist missing (`videoNotFound` right after an upload is transient);
 * - `forbidden`, `invalid`: permanent, the message says why.
 */
export type YouTubeErrorKind = "auth" | "quota" | "session_expired" | "rate_limited" | "server" | "network" | "not_found" | "forbidden" | "invalid";

export class YouTubeError extends ProviderError {
  override name = "YouTubeError";
  constructor(
    readonly kind: YouTubeErrorKind,
    message: string,
    retryable: boolean,
    status: number | null = null,
    /** `errors[0].reason` of Google's error body (quotaExceeded, authError, videoNotFound …). */
    readonly reason: string | null = null,
    retryAfterSeconds: number | null = null,
  ) {
    super("YouTube", message, retryable, status, retryAfterSeconds);
  }
}

/**
 * The daily quota (10 000 units per project, reset at midnight Pacific time) or the channel's
 * daily upload cap is used up. Not an auth failure (⚠ LEAP refreshed the token on any 403), and
 * not retryable by backoff: the stage should park the upload until `resetsAt`.
 */
export class QuotaExceededError extends YouTubeError {
  override name = "QuotaExceededError";
  constructor(
    message: string,
    status: number,
    reason: string,
    readonly resetsAt: Date,
    now: Date = new Date(),
  ) {
    super("quota", message, false, status, reason, Math.max(0, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)));
  }
}

/** The resumable session URI answered 404/410: it expired (~1 week) or was never valid. */
export class UploadSessionExpiredError extends YouTubeError {
  override name = "UploadSessionExpiredError";
  constructor(status: number) {
    super("session_expired", "the resumable upload session expired; start a new session (unless a video id is already known)", false, status);
  }
}

const QUOTA_REASONS = new Set(["quotaExceeded", "dailyLimitExceeded"]);
const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "uploadRateLimitExceeded"]);
/** Seen right after an upload while YouTube indexes the new video (LEAP waited 6 s). */
const TRANSIENT_NOT_FOUND = new Set(["videoNotFound"]);

const PACIFIC = "America/Los_Angeles";
const pad = (n: number) => String(n).padStart(2, "0");

/** The quota day (YYYY-MM-DD in America/Los_Angeles) that `now` counts against, e.g. as a ProviderQuota key. */
export function quotaDay(now: Date): string {
  const wall = wallTimeAt(now.getTime(), PACIFIC);
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** The next midnight in America/Los_Angeles after `now`, when YouTube Data API quotas reset. */
export function nextPacificMidnight(now: Date): Date {
  const today = wallTimeAt(now.getTime(), PACIFIC);
  const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  return new Date(instantOf({ year: tomorrow.getUTCFullYear(), month: tomorrow.getUTCMonth() + 1, day: tomorrow.getUTCDate(), hour: 0, minute: 0 }, PACIFIC));
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; domain?: string; message?: string }> };
}

/** Google puts HTML into messages (`exceeded your <a href=…>quota</a>`): keep the words only. */
const plain = (text: string) => text.replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim().slice(0, 300);

/** Classifies one non-success answer of the Data API (EXTERNAL-APIS §2.4) by `errors[0].reason`, then status. */
export async function youtubeErrorFrom(response: Response, now: Date = new Date()): Promise<YouTubeError> {
  const text = await response.text().catch(() => "");
  let body: GoogleErrorBody = {};
  try {
    body = JSON.parse(text) as GoogleErrorBody;
  } catch {
    // an HTML page or a truncated body: classify by status alone
  }
  const status = response.status;
  const reason = body.error?.errors?.[0]?.reason ?? null;
  const detail = plain(body.error?.message ?? body.error?.errors?.[0]?.message ?? "") || `HTTP ${status}`;
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  if (reason && QUOTA_REASONS.has(reason)) return new QuotaExceededError(`the daily API quota is used up (${detail})`, status, reason, nextPacificMidnight(now), now);
  if (reason === "uploadLimitExceeded") {
    // The per-channel upload cap is a rolling 24 h window (undocumented): a day from now is the safe guess.
    return new QuotaExceededError(`the channel reached its daily upload limit (${detail})`, status, reason, new Date(now.getTime() + 86_400_000), now);
  }
  if (status === 429 || (reason && RATE_REASONS.has(reason))) return new YouTubeError("rate_limited", `rate limited (${detail})`, true, status, reason, retryAfter);
  if (status >= 500) return new YouTubeError("server", `server error ${status} (${detail})`, true, status, reason, retryAfter);
  if (status === 401) return new YouTubeError("auth", `the credential was rejected (${detail}); reconnect YouTube`, false, status, reason);
  if (status === 404) return new YouTubeError("not_found", `not found (${reason ?? detail})`, reason !== null && TRANSIENT_NOT_FOUND.has(reason), status, reason);
  if (status === 403) return new YouTubeError("forbidden", `forbidden (${reason ?? "forbidden"}: ${detail})`, false, status, reason);
  return new YouTubeError("invalid", `request refused with ${status} (${reason ? `${reason}: ` : ""}${detail})`, false, status, reason);
}

export function networkError(error: unknown, timeoutMs: number): YouTubeError {
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  const message = timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `network error (${error instanceof Error ? error.message : "fetch failed"})`;
  return new YouTubeError("network", message, true);
}
