import { overdueDeliveries, WebhookDeliveriesRepository } from "../../db/repositories/webhook-deliveries.repository";
import { WebhookEndpointsRepository, type WebhookEndpointRow } from "../../db/repositories/webhook-endpoints.repository";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { log } from "../../lib/logger";
import { secretBox } from "../../lib/secret-box";
import type { ServiceContext } from "../context";
import { notifyByEmail } from "../notifications/notify.service";
import { disableReason, nextRetryDelay } from "./retry-policy";
import { sendAttempt, type AttemptResult } from "./send-attempt";

/** A message may arrive this much before its delivery's next attempt is due (clock skew). */
const EARLY_TOLERANCE_MS = 2_000;

/**
 * Handles one `webhook.deliver` message: claims the delivery's next attempt (compare-and-set on
 * the attempt count, so a duplicated message sends nothing twice), sends it, and records the
 * outcome: SUCCEEDED; PENDING with the next attempt queued per the retry schedule; or FAILED for
 * good, which may disable the endpoint (and e-mails its owner once).
 */
export async function deliverWebhook(ctx: ServiceContext, message: { userId: string; deliveryId: string }): Promise<void> {
  const deliveries = new WebhookDeliveriesRepository(ctx.db, message.userId);
  const endpoints = new WebhookEndpointsRepository(ctx.db, message.userId);
  const delivery = await deliveries.get(message.deliveryId);
  if (delivery?.status !== "PENDING") return;
  const now = ctx.clock.now();
  // A stale duplicate of an earlier attempt's message: the next attempt has its own message.
  if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() - now.getTime() > EARLY_TOLERANCE_MS) return;
  const endpoint = await endpoints.get(delivery.endpointId);
  if (!endpoint) return; // deleted: its deliveries went with it
  if (!endpoint.enabled && !delivery.manual) {
    await deliveries.update(delivery.id, { status: "FAILED", nextAttemptAt: null, error: "The endpoint is disabled", updatedAt: now });
    return;
  }
  const lease = new Date(now.getTime() + (ctx.config.WEBHOOK_TIMEOUT_SECONDS + 60) * 1000);
  const claimed = await deliveries.claimAttempt(delivery.id, delivery.attempts, now, lease);
  if (!claimed) return;
  const secret = await (await secretBox(ctx.config.ENCRYPTION_KEYS)).open(endpoint.secretSealed);
  const result = await sendAttempt(ctx, { url: endpoint.url, secret }, { id: claimed.messageId, payload: claimed.payload });
  const after = ctx.clock.now();
  const outcome = { responseStatus: result.status, responseBody: result.body, durationMs: result.durationMs, error: result.error, updatedAt: after };
  if (result.ok) {
    await deliveries.update(claimed.id, { ...outcome, status: "SUCCEEDED", nextAttemptAt: null });
    await endpoints.recordSuccess(endpoint.id, after);
    return;
  }
  await endpoints.recordFailedAttempt(endpoint.id, after);
  const delay = result.retryable && !claimed.manual ? nextRetryDelay(ctx.config.WEBHOOK_RETRY_SCHEDULE_SECONDS, claimed.attempts) : null;
  if (delay !== null) {
    await deliveries.update(claimed.id, { ...outcome, status: "PENDING", nextAttemptAt: new Date(after.getTime() + delay * 1000) });
    await enqueue(ctx.env, { type: "webhook.deliver", userId: message.userId, deliveryId: claimed.id }, delay);
    log.info("webhook delivery failed; will retry", { deliveryId: claimed.id, attempt: claimed.attempts, delaySeconds: delay, status: result.status });
    return;
  }
  await deliveries.update(claimed.id, { ...outcome, status: "FAILED", nextAttemptAt: null });
  log.warn("webhook delivery gave up", { deliveryId: claimed.id, endpointId: endpoint.id, attempts: claimed.attempts, status: result.status });
  // Manual attempts (tests, redeliveries) do not count towards disabling: the user is watching them.
  if (!claimed.manual) await afterGiveUp(ctx, message.userId, endpoint, result, after);
}

async function afterGiveUp(ctx: ServiceContext, userId: string, endpoint: WebhookEndpointRow, result: AttemptResult, now: Date) {
  const endpoints = new WebhookEndpointsRepository(ctx.db, userId);
  const streak = await endpoints.recordGaveUp(endpoint.id, now);
  if (!streak) return;
  const reason = result.retryable
    ? disableReason(streak, now, ctx.config.WEBHOOK_DISABLE_AFTER_FAILURES, ctx.config.WEBHOOK_DISABLE_AFTER_SECONDS * 1000)
    : `its URL is refused: ${result.error ?? "outbound policy"}`;
  if (!reason) return;
  if (await endpoints.disable(endpoint.id, reason, now)) {
    log.warn("webhook endpoint disabled", { endpointId: endpoint.id, reason });
    await notifyByEmail(ctx, userId, "webhook_endpoint_disabled", `Webhook endpoint ${endpoint.url} was disabled: ${reason}. Fix the receiver and enable it again.`, `endpoint:${endpoint.id}`);
  }
}

/** Re-queues deliveries whose message never ran (enqueue failed, or a message was lost). */
export async function requeueOverdueDeliveries(ctx: ServiceContext, graceMs = 5 * 60_000, limit = 200): Promise<number> {
  const overdue = await overdueDeliveries(ctx.db, ctx.clock.now(), graceMs, limit);
  for (const { id, userId } of overdue) await enqueue(ctx.env, { type: "webhook.deliver", userId, deliveryId: id });
  return overdue.length;
}
