import { WebhookDeliveriesRepository, type NewWebhookDelivery } from "../../db/repositories/webhook-deliveries.repository";
import { WebhookEndpointsRepository } from "../../db/repositories/webhook-endpoints.repository";
import type { WebhookEventType } from "../../db/schema";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";

/** The JSON body every endpoint receives (Standard Webhooks' recommended envelope). */
export function eventPayload(type: string, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

export const newMessageId = (now: Date) => `msg_${ulid(now.getTime())}`;

/**
 * The one place outbound webhook events start: for each of the user's enabled endpoints that
 * subscribe to `type`, a delivery row (the log, and the state the queue consumer works from) and
 * a `webhook.deliver` message. Never throws: a webhook problem must not fail the pipeline step
 * that emitted it. A delivery whose message could not be queued stays PENDING with a past
 * `next_attempt_at`, and the pipeline sweep re-queues it.
 */
export async function emitEvent(ctx: ServiceContext, userId: string, type: WebhookEventType, data: Record<string, unknown>): Promise<number> {
  try {
    const endpoints = await new WebhookEndpointsRepository(ctx.db, userId).subscribedTo(type);
    if (endpoints.length === 0) return 0;
    const now = ctx.clock.now();
    const messageId = newMessageId(now);
    const payload = eventPayload(type, now, data);
    const rows: NewWebhookDelivery[] = endpoints.map((endpoint) => ({
      id: ulid(now.getTime()),
      endpointId: endpoint.id,
      messageId,
      eventType: type,
      payload,
      status: "PENDING",
      manual: false,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    await new WebhookDeliveriesRepository(ctx.db, userId).insertMany(rows);
    for (const row of rows) {
      await enqueue(ctx.env, { type: "webhook.deliver", userId, deliveryId: row.id }).catch((error: unknown) =>
        log.warn("queueing a webhook delivery failed; the sweep retries it", { deliveryId: row.id, error }),
      );
    }
    return rows.length;
  } catch (error) {
    log.error("emitting a webhook event failed", { userId, type, error });
    return 0;
  }
}
