import type { WebhookEndpointRow } from "../../db/repositories/webhook-endpoints.repository";

/** Seconds to wait before the next attempt after attempt `attempts` failed, or null to give up. */
export function nextRetryDelay(schedule: readonly number[], attempts: number): number | null {
  return schedule[attempts - 1] ?? null;
}

/**
 * Whether a delivery that just gave up should disable its endpoint: `maxFailures` deliveries in a
 * row gave up, or nothing has been delivered since `failing_since`, at least `maxFailingMs` ago.
 * Null when it stays enabled, else the reason shown to the user.
 */
export function disableReason(
  endpoint: Pick<WebhookEndpointRow, "consecutiveFailures" | "failingSince">,
  now: Date,
  maxFailures: number,
  maxFailingMs: number,
): string | null {
  if (endpoint.consecutiveFailures >= maxFailures) return `${endpoint.consecutiveFailures} deliveries in a row failed after all their retries`;
  if (endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= maxFailingMs) {
    return `every delivery has failed since ${endpoint.failingSince.toISOString()}`;
  }
  return null;
}
