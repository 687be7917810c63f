import * as Sentry from "@sentry/cloudflare";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import type { AppBindings } from "../app-types";
import { AppError, type ErrorCode } from "../lib/errors";
import { log } from "../lib/logger";
import { validationError } from "../lib/validation";

/** `{"error":{"code","message","requestId","details"?}}` — the only error shape clients ever see. */
export function errorResponse(c: Context<AppBindings>, error: AppError): Response {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      requestId: c.get("requestId") ?? "",
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
  return c.json(body, error.status as ContentfulStatusCode, error.headers);
}

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationError(err, "request");
  if (err instanceof HTTPException) {
    // Hono raises these for malformed JSON bodies and similar client mistakes.
    const code = HTTP_CODES[err.status];
    if (code) return new AppError(code, err.message || "Bad request", { cause: err });
  }
  return new AppError("INTERNAL", "Internal server error", { cause: err });
}

export const onError: ErrorHandler<AppBindings> = (err, c) => {
  const appError = toAppError(err);
  if (appError.status >= 500) {
    log.error("unhandled error", { error: err, status: appError.status });
    Sentry.captureException(err);
  }
  return errorResponse(c, appError);
};

export const onNotFound: NotFoundHandler<AppBindings> = (c) =>
  errorResponse(c, new AppError("NOT_FOUND", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`));
