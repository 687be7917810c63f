import { ApiError } from "../../../lib/api-error";
import type { UploadFailure } from "./upload-queue";

/** Waits before each retry of a failed part (seconds); then the file fails and can be resumed by hand. */
export const RETRY_DELAYS = [1, 2, 4, 8, 16];

/** A part worth sending again: no answer (0), a timeout, the rate limit or a server error. */
export function retryable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500);
}

/** What the file's row tells the user about an error that ended its upload. */
export function failureOf(error: unknown): UploadFailure {
  if (!(error instanceof ApiError)) return "server";
  if (error.status === 415) return "wrongType";
  if (error.status === 413) return "tooLarge";
  if (error.status === 402) return "quota";
  if (error.status === 429) return "limited";
  if (error.status === 404 || error.status === 409) return "gone";
  if (error.status === 0) return "network";
  return "server";
}

/** Waits `ms`, or rejects with an AbortError as soon as `signal` aborts (a pause or a removal). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException("Aborted", "AbortError"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
