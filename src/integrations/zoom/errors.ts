/** Typed Zoom failures: the caller decides from `kind`, never from status codes. */
export type ZoomErrorKind = "auth" | "rate_limited" | "not_found" | "still_processing" | "invalid" | "server" | "network";

export class ZoomApiError extends Error {
  override name = "ZoomApiError";
  constructor(
    readonly kind: ZoomErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly zoomCode: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "server" || this.kind === "network";
  }
}

/** `Retry-After` is seconds, or (for Zoom's daily limits) an ISO date; absent → null. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export async function zoomErrorFrom(response: Response): Promise<ZoomApiError> {
  let code: number | null = null;
  let message = `Zoom answered ${response.status}`;
  try {
    // REST errors carry {code, message}; the OAuth token endpoint {error, reason}.
    const body = (await response.json()) as { code?: unknown; message?: unknown; reason?: unknown };
    if (typeof body.code === "number") code = body.code;
    if (typeof body.message === "string") message = `Zoom: ${body.message}`;
    else if (typeof body.reason === "string") message = `Zoom: ${body.reason}`;
  } catch {
    // Not JSON (an HTML error page, a truncated body): keep the status-based message.
  }
  const status = response.status;
  if (code === 3301) return new ZoomApiError("still_processing", message, status, code);
  if (status === 401 || status === 403 || code === 124 || code === 4700 || code === 4711) return new ZoomApiError("auth", message, status, code);
  if (status === 429) return new ZoomApiError("rate_limited", message, status, code, parseRetryAfter(response.headers.get("Retry-After")));
  if (status === 404) return new ZoomApiError("not_found", message, status, code);
  if (status >= 500) return new ZoomApiError("server", message, status, code, parseRetryAfter(response.headers.get("Retry-After")));
  return new ZoomApiError("invalid", message, status, code);
}
