import type { components } from "../api/schema";

type ErrorEnvelope = components["schemas"]["Error"];

/** The API's error envelope as a thrown value; status 0 when the server was not reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: string, message: string, details?: unknown, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static fromResponse(response: Response, body: unknown): ApiError {
    const envelope = isEnvelope(body) ? body.error : null;
    const retryAfter = Number(response.headers.get("Retry-After"));
    return new ApiError(
      response.status,
      envelope?.code ?? `HTTP_${response.status}`,
      envelope?.message ?? response.statusText,
      envelope?.details,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  return typeof body === "object" && body !== null && "error" in body && typeof (body as { error: unknown }).error === "object";
}

/**
 * Field messages from an error's `details`, keyed by field, so a form can show them beside its
 * fields: zod issues with a `path` (keyed by its first segment), or a service's refusal of one
 * field (`{ field }`, e.g. a URL the outbound policy refuses), which carries the error's message.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const { details } = error;
  if (typeof details === "object" && details !== null && "field" in details && typeof details.field === "string") return { [details.field]: error.message };
  if (!Array.isArray(details)) return {};
  const out: Record<string, string> = {};
  for (const issue of details as unknown[]) {
    if (typeof issue !== "object" || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    const field = Array.isArray(path) ? path[0] : typeof path === "string" ? path : undefined;
    if (typeof field === "string" && typeof message === "string" && !(field in out)) out[field] = message;
  }
  return out;
}
