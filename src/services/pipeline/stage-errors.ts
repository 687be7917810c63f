import { ProviderError } from "../../integrations/provider-error";
import { ZoomApiError } from "../../integrations/zoom/errors";

/** A failure that another attempt cannot fix (wrong size, an HTML page, no such file): the stage fails now. */
export class PermanentStageError extends Error {}

/** A transient failure (5xx, 429, a dropped connection): the stage retries with backoff, keeping its progress. */
export class RetryableStageError extends Error {
  constructor(
    message: string,
    /** The provider's `Retry-After`, when it sent one (0 = at once). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** How the engine treats an error a stage threw: retry (with the provider's hint, if any) or fail now. */
export function classifyStageError(error: unknown): { retryable: boolean; retryAfterSeconds: number | null; message: string } {
  const message = error instanceof Error ? error.message : "stage failed";
  if (error instanceof PermanentStageError) return { retryable: false, retryAfterSeconds: null, message };
  if (error instanceof RetryableStageError) return { retryable: true, retryAfterSeconds: error.retryAfterSeconds, message };
  if (error instanceof ZoomApiError || error instanceof ProviderError) return { retryable: error.retryable, retryAfterSeconds: error.retryAfterSeconds, message };
  // Anything else (a D1 or R2 hiccup, a bug) is retried; exhausted retries still fail the stage.
  return { retryable: true, retryAfterSeconds: null, message };
}
