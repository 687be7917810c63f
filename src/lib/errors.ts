/**
 * The one error vocabulary of the service. Services throw `AppError`s; only the central error
 * handler turns them into HTTP responses (see `middleware/error-handler.ts`).
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  LENGTH_REQUIRED: 411,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export interface AppErrorOptions {
  details?: unknown;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: ErrorStatus;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError("BAD_REQUEST", message, { details });
export const unauthorized = (message = "Not authenticated") =>
  new AppError("UNAUTHORIZED", message, { headers: { "WWW-Authenticate": "Bearer" } });
export const forbidden = (message = "Forbidden") => new AppError("FORBIDDEN", message);
export const notFound = (what = "Resource") => new AppError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string, details?: unknown) =>
  new AppError("CONFLICT", message, { details });
export const rateLimited = (retryAfterSeconds: number, details?: unknown) =>
  new AppError("RATE_LIMITED", `Too many requests; retry in ${retryAfterSeconds} s`, {
    details,
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
