import type { ZodError } from "zod";
import { AppError } from "./errors";

export function zodIssues(error: ZodError): Array<{ path: string; message: string; code: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
}

/** A zod failure as the standard 400: the first problem in the message, all of them in details. */
export function validationError(error: ZodError, target: string): AppError {
  const issues = zodIssues(error);
  const first = issues[0];
  const where = first?.path ? `${target}.${first.path}` : target;
  return new AppError("VALIDATION_FAILED", `Invalid ${where}: ${first?.message ?? "invalid value"}`, {
    details: issues.map((i) => ({ ...i, location: target })),
  });
}
